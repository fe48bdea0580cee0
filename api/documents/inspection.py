"""Checks on an uploaded document's bytes before it is accepted into an application.

``inspect_and_sanitise`` either rejects the file with a stable reason code or returns the bytes to
store. Photos (JPEG, PNG, WebP, HEIC) are decoded fully and re-encoded with Pillow, which drops
every piece of metadata (EXIF including GPS, XMP, comments, text chunks) after applying the EXIF
orientation; HEIC is converted to JPEG. PDFs are parsed and rewritten without their active
content (see ``api.documents.pdf``).

The work is CPU-bound (full decode and re-encode) and a photo's pixels take far more memory than
its file: call ``inspect_bounded`` from async code, which runs it in a thread and lets only a few
inspections run at once in the process, so a burst of uploads queues instead of exhausting memory.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import hashlib
import importlib
import io
import re
import weakref
import zlib
from types import ModuleType
from typing import Any, Final, Literal

import msgspec
from PIL import Image, ImageOps

from api.documents.pdf import PdfRefused, sanitise_pdf

pillow_heif: ModuleType | None
try:  # pillow-heif is a project dependency; without it HEIC cannot be cleaned and is refused.
    pillow_heif = importlib.import_module("pillow_heif")
except ImportError:  # pragma: no cover - depends on the environment
    pillow_heif = None

__all__ = [
    "ACCEPTED_CONTENT_TYPES",
    "MAX_CONCURRENT_INSPECTIONS",
    "MAX_EDGE",
    "MAX_PIXELS",
    "RejectReason",
    "Rejection",
    "Sanitised",
    "heic_supported",
    "inspect_and_sanitise",
    "inspect_bounded",
    "normalise_content_type",
    "sniff_content_type",
]

RejectReason = Literal[
    "too_large", "unsupported_type", "type_mismatch", "corrupt_image", "polyglot", "encrypted_pdf"
]

JPEG: Final = "image/jpeg"
PNG: Final = "image/png"
WEBP: Final = "image/webp"
HEIC: Final = "image/heic"
PDF: Final = "application/pdf"
ACCEPTED_CONTENT_TYPES: Final = frozenset({JPEG, PNG, WEBP, HEIC, PDF})

# Larger images are refused from their header, before decoding: a phone camera takes at most
# about 12-16 MP (50 MP sensors bin to 12 MP by default); 40 MP RGBA is 160 MB decoded.
MAX_PIXELS: Final = 40_000_000
# Stored photos are scaled down to this long edge: enough to read any paper document.
MAX_EDGE: Final = 4096
# Inspections running at once in one process, by default (see inspect_bounded).
MAX_CONCURRENT_INSPECTIONS: Final = 2
JPEG_QUALITY: Final = 90
WEBP_QUALITY: Final = 90

_ALIASES: Final = {
    "image/jpg": JPEG,
    "image/pjpeg": JPEG,
    "image/x-png": PNG,
    "image/heif": HEIC,
    "image/heic-sequence": HEIC,
    "image/heif-sequence": HEIC,
    "application/x-pdf": PDF,
}
_HEIC_BRANDS: Final = frozenset(
    {b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis"}
)
_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
_PILLOW_FORMAT: Final = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP", HEIC: "HEIF"}

# Content that must not hide inside an image: other formats' headers and markup. Searched in a
# lower-cased copy, so the markup needles are matched case-insensitively.
_FOREIGN_NEEDLES: Final = (b"%pdf-", b"<script", b"<html", b"<?php")
# A ZIP local file header (with a plausible "version needed" field) or end-of-central-directory
# record; the extra bytes keep random compressed data from matching by chance.
_ZIP_RECORD: Final = re.compile(rb"PK\x03\x04[\x00-\x3f]\x00|PK\x05\x06\x00\x00\x00\x00")
# In JPEG entropy-coded data, 0xFF is followed by 0x00 (stuffing), a restart marker or fill.
_JPEG_MARKER_IN_SCAN: Final = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


class Sanitised(msgspec.Struct, frozen=True, kw_only=True):
    """The bytes to store, with their real content type, size and SHA-256 (hex)."""

    data: bytes
    content_type: str
    size: int
    sha256: str
    width: int | None = None
    height: int | None = None
    # True when the bytes were re-encoded or rewritten (every accepted upload today).
    reencoded: bool = False


class Rejection(msgspec.Struct, frozen=True, kw_only=True):
    reason: RejectReason
    detail: str


class _Reject(Exception):
    def __init__(self, reason: RejectReason, detail: str) -> None:
        super().__init__(detail)
        self.reason: RejectReason = reason
        self.detail = detail


def heic_supported() -> bool:
    return pillow_heif is not None


def normalise_content_type(content_type: str) -> str:
    """Lower-case, drop parameters, and map common aliases (image/jpg -> image/jpeg)."""
    base = content_type.split(";", 1)[0].strip().lower()
    return _ALIASES.get(base, base)


def sniff_content_type(head: bytes) -> str | None:
    """The content type named by the file's magic bytes (the first 16 are enough), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(_PNG_SIGNATURE):
        return PNG
    if len(head) >= 12 and head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in _HEIC_BRANDS:
        return HEIC
    if head.startswith(b"%PDF-"):
        return PDF
    return None


_malloc_trim: Any
try:
    _malloc_trim = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
except (OSError, AttributeError):  # pragma: no cover - not glibc
    _malloc_trim = None

# One semaphore per event loop (in production, one per process).
_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


async def inspect_bounded(
    data: bytes,
    declared_content_type: str,
    *,
    max_bytes: int,
    max_concurrent: int = MAX_CONCURRENT_INSPECTIONS,
) -> Sanitised | Rejection:
    """``inspect_and_sanitise`` in a worker thread, at most ``max_concurrent`` at once in this
    event loop (the first call's value sets the bound); the others wait their turn."""
    loop = asyncio.get_running_loop()
    slots = _slots.get(loop)
    if slots is None:
        slots = _slots[loop] = asyncio.Semaphore(max_concurrent)
    async with slots:
        return await asyncio.to_thread(
            _inspect_and_release, data, declared_content_type, max_bytes=max_bytes
        )


def _inspect_and_release(
    data: bytes, declared_content_type: str, *, max_bytes: int
) -> Sanitised | Rejection:
    try:
        return inspect_and_sanitise(data, declared_content_type, max_bytes=max_bytes)
    finally:
        # Decoded pixels are freed in blocks that glibc keeps in the thread's arena; hand the
        # free pages back to the system, or the process stays at its peak for good.
        if _malloc_trim is not None:
            _malloc_trim(0)


def inspect_and_sanitise(
    data: bytes, declared_content_type: str, *, max_bytes: int, max_pixels: int = MAX_PIXELS
) -> Sanitised | Rejection:
    """Check an upload and return what to store, or why it is refused.

    Photos with a long edge over ``MAX_EDGE`` are scaled down to it.

    Reasons: ``too_large`` (over ``max_bytes``, an image over ``max_pixels`` by its header, or
    a PDF over its page limit),
    ``unsupported_type`` (not JPEG/PNG/WebP/HEIC/PDF by its magic bytes, or something that cannot
    be inspected), ``type_mismatch`` (magic bytes disagree with the declared type),
    ``corrupt_image`` (does not decode fully; also a truncated or unparseable PDF), ``polyglot``
    (data after the end of the image or PDF, other formats or markup hidden inside an image),
    ``encrypted_pdf`` (a PDF with any encryption, even with an empty password). An accepted PDF
    is rewritten without its active content (scripts, actions, embedded files, XFA).
    """
    if len(data) > max_bytes:
        return Rejection(reason="too_large", detail=f"{len(data)} bytes, limit {max_bytes}")
    sniffed = sniff_content_type(data[:16])
    if sniffed is None:
        return Rejection(reason="unsupported_type", detail="not a JPEG, PNG, WebP, HEIC or PDF")
    declared = normalise_content_type(declared_content_type)
    if declared != sniffed:
        return Rejection(
            reason="type_mismatch", detail=f"declared {declared or '(none)'}, content is {sniffed}"
        )
    try:
        if sniffed == PDF:
            _check_pdf(data)
            try:
                cleaned = sanitise_pdf(data)
            except PdfRefused as refused:
                raise _Reject(refused.reason, refused.detail) from refused
            return Sanitised(
                data=cleaned,
                content_type=PDF,
                size=len(cleaned),
                sha256=hashlib.sha256(cleaned).hexdigest(),
                reencoded=True,
            )
        if sniffed == HEIC and pillow_heif is None:
            raise _Reject("unsupported_type", "HEIC support (pillow-heif) is not installed")
        _check_image_structure(data, sniffed)
        _check_foreign_content(data)
        return _reencode(data, sniffed, max_pixels)
    except _Reject as rejected:
        return Rejection(reason=rejected.reason, detail=rejected.detail)


# --- container structure ------------------------------------------------------------------------


def _check_image_structure(data: bytes, content_type: str) -> None:
    if content_type == JPEG:
        _check_jpeg(data)
    elif content_type == PNG:
        _check_png(data)
    elif content_type == WEBP:
        _check_webp(data)
    else:
        _check_bmff(data)


def _jpeg_end(data: bytes, start: int) -> tuple[int, bool]:
    """Walk one JPEG stream from its SOI; return the offset after its EOI and whether it has an
    MPF (multi-picture) APP2 segment."""
    n = len(data)
    if data[start : start + 2] != b"\xff\xd8":
        raise _Reject("corrupt_image", "JPEG stream does not start with SOI")
    pos = start + 2
    has_mpf = False
    while True:
        if pos >= n or data[pos] != 0xFF:
            raise _Reject("corrupt_image", "JPEG is truncated or has garbage between segments")
        while pos < n and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= n:
            raise _Reject("corrupt_image", "JPEG is truncated")
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # EOI
            return pos, has_mpf
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # TEM, RSTn: no length
            continue
        if marker == 0x00 or pos + 2 > n:
            raise _Reject("corrupt_image", "JPEG is truncated or malformed")
        length = int.from_bytes(data[pos : pos + 2], "big")
        segment_end = pos + length
        if length < 2 or segment_end > n:
            raise _Reject("corrupt_image", "JPEG segment runs past the end of the file")
        if marker == 0xE2 and data[pos + 2 : pos + 6] == b"MPF\x00":
            has_mpf = True
        pos = segment_end
        if marker == 0xDA:  # SOS: entropy-coded data up to the next real marker
            found = _JPEG_MARKER_IN_SCAN.search(data, pos)
            if found is None:
                raise _Reject("corrupt_image", "JPEG is truncated (no end of image)")
            pos = found.start()


def _is_padding(chunk: bytes) -> bool:
    return not chunk.strip(b"\x00\xff")


def _check_jpeg(data: bytes) -> None:
    end, has_mpf = _jpeg_end(data, 0)
    if has_mpf:
        # Multi-picture JPEGs (MPO, HDR gain maps of recent phones) carry further JPEG images
        # after the first one's EOI; they are dropped by the re-encoding but must be JPEGs too.
        while end < len(data) and data[end : end + 2] == b"\xff\xd8":
            end, _ = _jpeg_end(data, end)
    if not _is_padding(data[end:]):
        raise _Reject("polyglot", f"{len(data) - end} bytes of data after the JPEG end marker")


def _check_png(data: bytes) -> None:
    view = memoryview(data)
    n = len(data)
    pos = len(_PNG_SIGNATURE)
    while True:
        if pos + 12 > n:
            raise _Reject("corrupt_image", "PNG is truncated (no IEND chunk)")
        length = int.from_bytes(data[pos : pos + 4], "big")
        chunk_type = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if length > 0x7FFFFFFF or end > n or not chunk_type.isalpha():
            raise _Reject("corrupt_image", "PNG chunk is malformed or truncated")
        crc = int.from_bytes(data[end - 4 : end], "big")
        if zlib.crc32(view[pos + 4 : end - 4]) != crc:
            raise _Reject("corrupt_image", f"PNG chunk {chunk_type.decode()} fails its CRC")
        pos = end
        if chunk_type == b"IEND":
            break
    if pos != n:
        raise _Reject("polyglot", f"{n - pos} bytes of data after the PNG IEND chunk")


def _webp_is_lossless(data: bytes) -> bool:
    """Whether the WebP image data is lossless (a VP8L chunk), from a checked RIFF layout."""
    pos = 12
    while pos + 8 <= len(data):
        fourcc = data[pos : pos + 4]
        if fourcc == b"VP8L":
            return True
        if fourcc == b"VP8 ":
            return False
        size = int.from_bytes(data[pos + 4 : pos + 8], "little")
        pos += 8 + size + (size & 1)
    return False


def _check_webp(data: bytes) -> None:
    n = len(data)
    riff_end = 8 + int.from_bytes(data[4:8], "little")
    if riff_end > n:
        raise _Reject("corrupt_image", "WebP is truncated")
    if riff_end < n:
        raise _Reject("polyglot", f"{n - riff_end} bytes of data after the WebP RIFF chunk")
    pos = 12
    while pos < riff_end:
        chunk_end = pos + 8 + int.from_bytes(data[pos + 4 : pos + 8], "little")
        if chunk_end > riff_end:
            raise _Reject("corrupt_image", "WebP chunk runs past the end of the RIFF chunk")
        pos = chunk_end + (chunk_end - pos) % 2  # chunks are padded to an even size


def _check_bmff(data: bytes) -> None:
    """Walk the top-level boxes of an ISO base media file (HEIC)."""
    n = len(data)
    pos = 0
    while pos < n:
        if pos + 8 > n:
            raise _Reject("polyglot", "data after the last HEIC box")
        size = int.from_bytes(data[pos : pos + 4], "big")
        box_type = data[pos + 4 : pos + 8]
        if not all(0x20 <= byte < 0x7F for byte in box_type):
            raise _Reject("polyglot", "data after the last HEIC box")
        header = 8
        if size == 1:
            if pos + 16 > n:
                raise _Reject("corrupt_image", "HEIC box header is truncated")
            size = int.from_bytes(data[pos + 8 : pos + 16], "big")
            header = 16
        elif size == 0:  # the box runs to the end of the file
            size = n - pos
        if size < header:
            raise _Reject("corrupt_image", "HEIC box is malformed")
        if pos + size > n:
            raise _Reject("corrupt_image", "HEIC is truncated")
        pos += size


def _check_foreign_content(data: bytes) -> None:
    lowered = data.lower()
    for needle in _FOREIGN_NEEDLES:
        if needle in lowered:
            raise _Reject("polyglot", f"image contains {needle.decode()!r}")
    if _ZIP_RECORD.search(data):
        raise _Reject("polyglot", "image contains a ZIP archive record")


# --- decoding and re-encoding -------------------------------------------------------------------


def _icc_if_matching(icc: Any, mode: str) -> bytes | None:
    """Keep an ICC profile only if its colour space (header bytes 16-19) fits the output mode."""
    if not isinstance(icc, bytes) or len(icc) < 20:
        return None
    space = icc[16:20]
    wanted = {"RGB": b"RGB ", "RGBA": b"RGB ", "L": b"GRAY", "LA": b"GRAY", "CMYK": b"CMYK"}
    return icc if wanted.get(mode) == space else None


def _decode(data: bytes, content_type: str, max_pixels: int) -> Image.Image:
    if content_type == HEIC:
        assert pillow_heif is not None
        pillow_heif.register_heif_opener()  # idempotent
    try:
        image = Image.open(io.BytesIO(data), formats=[_PILLOW_FORMAT[content_type]])
    except Image.DecompressionBombError as exc:
        raise _Reject("too_large", "image has too many pixels") from exc
    except Exception as exc:
        raise _Reject("corrupt_image", f"cannot read the image: {exc}") from exc
    width, height = image.size
    if width * height > max_pixels:
        image.close()
        raise _Reject("too_large", f"{width}x{height} pixels, limit {max_pixels}")
    try:
        if content_type == JPEG and max(width, height) > MAX_EDGE:
            # Let the decoder scale down by 1/2, 1/4 or 1/8 while decoding, as far as it can
            # while staying at least MAX_EDGE on the long edge.
            scale = MAX_EDGE / max(width, height)
            image.draft(None, (max(1, round(width * scale)), max(1, round(height * scale))))
        image.load()
        if max(image.size) > MAX_EDGE:
            image.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.LANCZOS)  # in place
    except Image.DecompressionBombError as exc:
        raise _Reject("too_large", "image has too many pixels") from exc
    except Exception as exc:
        raise _Reject("corrupt_image", f"the image does not decode fully: {exc}") from exc
    return image


def _reencode(data: bytes, content_type: str, max_pixels: int) -> Sanitised:
    source = _decode(data, content_type, max_pixels)
    icc = source.info.get("icc_profile")
    transparency = source.info.get("transparency")
    try:
        upright = ImageOps.exif_transpose(source)
    except Exception:  # a broken EXIF block is not worth refusing the photo for
        upright = source.copy()
    finally:
        source.close()
    # Start the output from pixels only: no info dict means no EXIF, XMP, comment or text chunks.
    upright.info = {}
    out = io.BytesIO()
    if content_type in (JPEG, HEIC):
        image = upright if upright.mode in ("L", "RGB", "CMYK") else upright.convert("RGB")
        options: dict[str, Any] = {"quality": JPEG_QUALITY, "optimize": True}
        if profile := _icc_if_matching(icc, image.mode):
            options["icc_profile"] = profile
        image.save(out, format="JPEG", **options)
        out_type = JPEG
    elif content_type == PNG:
        keep = ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16")
        image = upright if upright.mode in keep else upright.convert("RGBA")
        options = {}
        if profile := _icc_if_matching(icc, image.mode):
            options["icc_profile"] = profile
        if transparency is not None and image.mode in ("1", "L", "P", "RGB"):
            options["transparency"] = transparency
        image.save(out, format="PNG", **options)
        out_type = PNG
    else:
        image = upright if upright.mode in ("RGB", "RGBA") else upright.convert("RGBA")
        options = {"lossless": True} if _webp_is_lossless(data) else {"quality": WEBP_QUALITY}
        if profile := _icc_if_matching(icc, image.mode):
            options["icc_profile"] = profile
        image.save(out, format="WEBP", **options)
        out_type = WEBP
    cleaned = out.getvalue()
    return Sanitised(
        data=cleaned,
        content_type=out_type,
        size=len(cleaned),
        sha256=hashlib.sha256(cleaned).hexdigest(),
        width=image.width,
        height=image.height,
        reencoded=True,
    )


# --- PDF ----------------------------------------------------------------------------------------


def _check_pdf(data: bytes) -> None:
    eof = data.rfind(b"%%EOF")
    if eof < 0:
        raise _Reject("corrupt_image", "PDF is truncated (no %%EOF marker)")
    if data[eof + 5 :].strip(b"\x00\t\n\x0c\r "):
        raise _Reject("polyglot", "data after the PDF's final %%EOF marker")
    if _ZIP_RECORD.search(data):
        raise _Reject("polyglot", "PDF contains a ZIP archive record")
