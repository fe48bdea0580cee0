"""Object storage for document photos, through the minio SDK (MinIO or any S3 service).

Two clients: one for the server's own calls (``S3_ENDPOINT``) and one used only to sign
URLs with the host phones can reach (``S3_PUBLIC_ENDPOINT``). Signing needs no network call
because the region is fixed in settings.
"""

from __future__ import annotations

import asyncio
import io
import itertools
from collections.abc import Sequence
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import msgspec
import urllib3
from minio import Minio
from minio.datatypes import PostPolicy
from minio.deleteobjects import DeleteObject
from minio.error import S3Error

from api.settings import Settings


def _client(endpoint_url: str, settings: Settings) -> Minio:
    parts = urlsplit(endpoint_url)
    if not parts.netloc:
        raise ValueError(f"S3 endpoint must be a URL like http://host:9000, got {endpoint_url!r}")
    return Minio(
        parts.netloc,
        access_key=settings.s3_access_key,
        secret_key=settings.s3_secret_key,
        secure=parts.scheme == "https",
        region=settings.s3_region,
        # Fail fast: a storage outage should show in /health, not hang requests.
        http_client=urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=2, read=30),
            retries=urllib3.Retry(total=2, backoff_factor=0.2, status_forcelist=(502, 503, 504)),
            maxsize=10,
        ),
    )


class ObjectInfo:
    __slots__ = ("content_type", "size")

    def __init__(self, size: int, content_type: str | None) -> None:
        self.size = size
        self.content_type = content_type


class UploadForm(msgspec.Struct, frozen=True):
    """A presigned POST: send ``fields`` and then the file (as the last part, named ``file``)
    in one multipart/form-data request to ``url``."""

    url: str
    fields: dict[str, str]


class ObjectStorage:
    def __init__(self, settings: Settings) -> None:
        self.bucket = settings.s3_bucket
        self._internal = _client(settings.s3_endpoint, settings)
        self._public = _client(settings.s3_public_endpoint, settings)
        # Path-style, like the presigned GET URLs the public client signs.
        self._form_url = f"{settings.s3_public_endpoint.rstrip('/')}/{self.bucket}"

    async def ensure_bucket(self) -> None:
        def ensure() -> None:
            if not self._internal.bucket_exists(self.bucket):
                self._internal.make_bucket(self.bucket)

        await asyncio.to_thread(ensure)

    async def ping(self) -> bool:
        return await asyncio.to_thread(self._internal.bucket_exists, self.bucket)

    def presigned_post(
        self, key: str, *, expires_at: datetime, content_type: str, size: int
    ) -> UploadForm:
        """A form that stores exactly ``size`` bytes of ``content_type`` at ``key`` until
        ``expires_at``. Unlike a presigned PUT, the storage itself refuses any other length
        (content-length-range), type or key."""
        policy = PostPolicy(self.bucket, expires_at)
        policy.add_equals_condition("key", key)
        policy.add_equals_condition("Content-Type", content_type)
        policy.add_content_length_range_condition(size, size)
        signed = self._public.presigned_post_policy(policy)
        return UploadForm(
            url=self._form_url, fields={"key": key, "Content-Type": content_type, **signed}
        )

    def presigned_get(self, key: str, ttl: timedelta, *, filename: str | None = None) -> str:
        headers: dict[str, str | list[str] | tuple[str]] | None = (
            {"response-content-disposition": f'inline; filename="{filename}"'} if filename else None
        )
        return self._public.presigned_get_object(
            self.bucket, key, expires=ttl, response_headers=headers
        )

    async def stat(self, key: str) -> ObjectInfo | None:
        def stat() -> ObjectInfo | None:
            try:
                info = self._internal.stat_object(self.bucket, key)
            except S3Error as exc:
                if exc.code in ("NoSuchKey", "NoSuchObject", "NotFound", "ResourceNotFound"):
                    return None
                raise
            return ObjectInfo(int(info.size or 0), info.content_type)

        return await asyncio.to_thread(stat)

    async def read(self, key: str, limit: int) -> bytes:
        """Read at most ``limit`` bytes (callers check the size first)."""

        def read() -> bytes:
            response = self._internal.get_object(self.bucket, key, offset=0, length=limit)
            try:
                return bytes(response.read())
            finally:
                response.close()
                response.release_conn()

        return await asyncio.to_thread(read)

    async def write(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(
            self._internal.put_object,
            self.bucket,
            key,
            io.BytesIO(data),
            len(data),
            content_type=content_type,
        )

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._internal.remove_object, self.bucket, key)

    async def list_keys(self, prefix: str, *, start_after: str | None, limit: int) -> list[str]:
        """Up to ``limit`` keys under ``prefix`` in key order, after ``start_after``."""

        def page() -> list[str]:
            listing = self._internal.list_objects(
                self.bucket, prefix=prefix, recursive=True, start_after=start_after
            )
            return [str(item.object_name) for item in itertools.islice(listing, limit)]

        return await asyncio.to_thread(page)

    async def delete_many(self, keys: Sequence[str]) -> None:
        """Delete ``keys`` with batched requests; missing keys are not an error."""

        def delete() -> None:
            # remove_objects is lazy: the requests go out while its errors are iterated.
            errors = list(
                self._internal.remove_objects(self.bucket, [DeleteObject(key) for key in keys])
            )
            if errors:
                raise RuntimeError(f"could not delete {len(errors)} object(s): {errors[0]}")

        if keys:
            await asyncio.to_thread(delete)
