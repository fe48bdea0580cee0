"""A scripted officer device that speaks docs/sync.md the way the PWA does: an outbox of
commands made once, retries with exponential backoff and full jitter, chunked uploads resumed
from the server's offset, and a cursor saved only after a page is kept."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import random
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx

from api.core.clock import VN_TZ

FINAL = frozenset({"applied", "duplicate", "conflict", "rejected"})


class GaveUp(Exception):
    pass


class SyncClient:
    def __init__(
        self,
        base_url: str,
        auth: dict[str, str],
        *,
        rng: random.Random,
        backoff_start: float = 0.01,
        backoff_cap: float = 0.3,
        max_attempts: int = 60,
    ) -> None:
        self.base_url = base_url
        self.device_id = str(uuid.uuid4())
        self.headers = {**auth, "X-Device-Id": self.device_id}
        self.rng = rng
        self.backoff_start = backoff_start
        self.backoff_cap = backoff_cap
        self.max_attempts = max_attempts
        self.outbox: list[dict[str, Any]] = []
        self.answers: dict[str, dict[str, Any]] = {}
        self.cursor: str | None = None
        self.work_set: dict[str, dict[str, Any]] = {}
        # (id, version, lease id, notes) of every record in every page kept: a record comes
        # again only when one of them changed.
        self.received: list[tuple[str, int, str | None, int]] = []
        self.notifications: dict[str, dict[str, Any]] = {}  # the officer's inbox, by id
        self.transport_failures = 0
        self.retries_answered = 0
        # No keep-alive: one connection per request, so the proxy's fate applies per request.
        self.http = httpx.AsyncClient(
            base_url=base_url,
            timeout=20,
            limits=httpx.Limits(max_keepalive_connections=0),
        )

    async def close(self) -> None:
        await self.http.aclose()

    def new_id(self) -> str:
        return str(uuid.uuid4())

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send until an answer that is not a transport failure or a 5xx comes back."""
        delay = self.backoff_start
        for _ in range(self.max_attempts):
            try:
                response = await self.http.request(
                    method, path, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs
                )
            except httpx.TransportError:
                self.transport_failures += 1
            else:
                if response.status_code < 500:
                    return response
            await asyncio.sleep(self.rng.uniform(0, delay))  # full jitter
            delay = min(self.backoff_cap, delay * 2)
        raise GaveUp(f"{method} {path}")

    async def register(self, label: str) -> None:
        response = await self.request(
            "POST", "/api/v1/sync/devices", json={"device_id": self.device_id, "label": label}
        )
        assert response.status_code in (200, 201), response.text

    async def lease(self, application_ids: list[str]) -> list[dict[str, Any]]:
        """Check applications out for offline work (a retry answers the same leases)."""
        response = await self.request(
            "POST", "/api/v1/sync/leases", json={"application_ids": application_ids}
        )
        assert response.status_code == 200, response.text
        leases: list[dict[str, Any]] = response.json()["leases"]
        return leases

    async def reserve(self, count: int) -> list[str]:
        response = await self.request(
            "POST", "/api/v1/sync/receipt-blocks", json={"block_id": self.new_id(), "count": count}
        )
        assert response.status_code in (200, 201), response.text
        codes: list[str] = response.json()["codes"]
        return codes

    async def upload(self, data: bytes, content_type: str, *, chunk_size: int) -> str:
        upload_id = self.new_id()
        declaration = {
            "upload_id": upload_id,
            "content_type": content_type,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        response = await self.request("POST", "/api/v1/sync/uploads", json=declaration)
        assert response.status_code in (200, 201), response.text
        offset = response.json()["offset"]
        while offset < len(data):
            chunk = data[offset : offset + chunk_size]
            digest = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
            try:
                response = await self.http.patch(
                    f"/api/v1/sync/uploads/{upload_id}",
                    content=chunk,
                    headers={
                        **self.headers,
                        "Content-Type": "application/offset+octet-stream",
                        "Upload-Offset": str(offset),
                        "Upload-Checksum": f"sha256 {digest}",
                    },
                )
            except httpx.TransportError:
                self.transport_failures += 1
                response = None
            if response is not None and response.status_code in (200, 409):
                offset = response.json()["offset"]
                continue
            # Lost answer or a server error: ask where the server is and go on from there.
            state = await self.request("GET", f"/api/v1/sync/uploads/{upload_id}")
            assert state.status_code == 200, state.text
            offset = state.json()["offset"]
        return upload_id

    def command(
        self,
        type_: str,
        payload: dict[str, Any],
        *,
        application_id: str | None = None,
        application_ref: str | None = None,
        base_version: int | None = None,
        depends_on: str | None = None,
    ) -> dict[str, Any]:
        """Put a command in the outbox (its id is made once, here) and return it."""
        command = {
            "command_id": self.new_id(),
            "type": type_,
            "device_time": datetime.now(VN_TZ).isoformat(),
            "application_id": application_id,
            "application_ref": application_ref,
            "base_version": base_version,
            "depends_on": depends_on,
            "payload": payload,
        }
        self.outbox.append(command)
        return command

    async def push(self, *, batch: int = 20, shuffle: bool = False, rounds: int = 200) -> None:
        """Send the outbox until every command has a final answer."""
        for _ in range(rounds):
            pending = [c for c in self.outbox if c["command_id"] not in self.answers]
            if not pending:
                return
            if shuffle:
                self.rng.shuffle(pending)
            for start in range(0, len(pending), batch):
                await self.send(pending[start : start + batch])
        raise GaveUp("outbox did not drain")

    async def send(self, commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
        response = await self.request(
            "POST",
            "/api/v1/sync/push",
            json={"device_id": self.device_id, "commands": commands},
        )
        assert response.status_code == 200, response.text
        results: list[dict[str, Any]] = response.json()["results"]
        for result in results:
            if result["outcome"] in FINAL:
                self.answers.setdefault(result["command_id"], result)
            else:
                self.retries_answered += 1
        return results

    def final(self, command: dict[str, Any]) -> dict[str, Any]:
        """A command's first final answer, as the device saw it (a duplicate shows the first)."""
        answer = self.answers[command["command_id"]]
        return answer["first"] if answer["outcome"] == "duplicate" else answer

    async def pull(self, *, limit: int = 50) -> None:
        while True:
            params = {"limit": limit, **({"cursor": self.cursor} if self.cursor else {})}
            response = await self.request("GET", "/api/v1/sync/pull", params=params)
            assert response.status_code == 200, response.text
            page = response.json()
            for record in page["applications"]:
                lease = record["lease"]["lease_id"] if record["lease"] else None
                self.received.append((record["id"], record["version"], lease, len(record["notes"])))
                held = self.work_set.get(record["id"])
                if held is None or held["version"] <= record["version"]:
                    self.work_set[record["id"]] = record
            for notification in page["notifications"]:
                self.notifications[notification["id"]] = notification  # latest state wins
            self.cursor = page["next_cursor"]  # saved after the page is kept
            if not page["has_more"]:
                return

    async def pull_until(self, caught_up: Callable[[], bool], *, patience: float = 30) -> None:
        """Pull until ``caught_up()``: the feed holds changes back while an older transaction
        anywhere on the PostgreSQL server is open (docs/changes.md: delay, never loss)."""
        deadline = time.monotonic() + patience
        await self.pull()
        while not caught_up() and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            await self.pull()
