"""Rewriting an uploaded PDF without its active content.

A PDF cannot be checked by scanning its bytes (names can be escaped, objects hide in compressed
object streams), so it is parsed with qpdf (through pikepdf) and written out again. Before
writing, every object of the file is walked and whatever can run or reach outside the document
is removed: JavaScript (the /JavaScript names tree, /JS keys, JavaScript actions), the open
action and every additional-actions (/AA) dictionary, actions that launch programs, open URLs,
submit or import form data, reach other files or play media, embedded files, XFA forms and
rich-media, 3D, file-attachment, sound, movie and screen annotations. qpdf writes only the
objects still reachable from the document, so whatever was cut loose is not in the output; the
output is a freshly written file (new cross-reference data and object streams) that starts with
``%PDF-`` and ends at its ``%%EOF``.

Memory: stream data is copied as it is, never decoded (``StreamDecodeLevel.none``); only the
structure streams qpdf must read to parse the file (object streams, cross-reference streams) are
inflated, and qpdf refuses to inflate any stream past ``FLATE_MAX_MEMORY``.
"""

from __future__ import annotations

import io
from typing import Final, Literal

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

__all__ = ["FLATE_MAX_MEMORY", "MAX_PDF_PAGES", "PdfRefused", "sanitise_pdf"]

PdfReason = Literal["too_large", "corrupt_image", "encrypted_pdf"]

MAX_PDF_PAGES: Final = 200
# The most qpdf inflates from one Flate stream. Only structure streams are ever inflated here
# (object streams, cross-reference streams): a real one is well under a megabyte.
FLATE_MAX_MEMORY: Final = 16 * 1024 * 1024

# Keys that are removed wherever they occur.
_FORBIDDEN_KEYS: Final = frozenset(
    {
        "/JS",  # JavaScript source of an action
        "/JavaScript",  # the document-level JavaScript names tree
        "/OpenAction",  # runs when the document opens
        "/AA",  # additional actions: on page open/close, field focus, keystroke, print...
        "/EmbeddedFiles",  # the embedded files names tree
        "/EF",  # a file specification's embedded file streams
        "/AF",  # associated (embedded) files
        "/XFA",  # XFA forms, with their own scripts
        "/NeedsRendering",  # asks the viewer to render the XFA form
        "/RichMediaContent",
        "/RichMediaSettings",
        "/3DD",
    }
)
# Action types (/S) that run code, reach outside the document, change form data or play media.
_FORBIDDEN_ACTIONS: Final = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/URI",
        "/SubmitForm",
        "/ImportData",
        "/ResetForm",
        "/GoToR",
        "/GoToE",
        "/Rendition",
        "/Sound",
        "/Movie",
        "/RichMediaExecute",
    }
)
# Annotation types (/Subtype) that carry files or media players.
_FORBIDDEN_ANNOTATIONS: Final = frozenset(
    {"/FileAttachment", "/RichMedia", "/3D", "/Sound", "/Movie", "/Screen"}
)

pikepdf.settings.set_qpdf_limits(flate_max_memory=FLATE_MAX_MEMORY)


class PdfRefused(Exception):
    def __init__(self, reason: PdfReason, detail: str) -> None:
        super().__init__(detail)
        self.reason: PdfReason = reason
        self.detail = detail


def sanitise_pdf(data: bytes, *, max_pages: int = MAX_PDF_PAGES) -> bytes:
    """The PDF rewritten without active content; raises ``PdfRefused``."""
    try:
        with (
            pikepdf.explicit_conversion(),
            pikepdf.open(io.BytesIO(data)) as pdf,
        ):
            if pdf.is_encrypted:
                # Even with an empty user password: we cannot vouch for what we cannot rewrite
                # as a plain file, and the owner's restrictions would be silently lost.
                raise PdfRefused("encrypted_pdf", "the PDF is encrypted")
            pages = len(pdf.pages)
            if pages == 0:
                raise PdfRefused("corrupt_image", "the PDF has no pages")
            if pages > max_pages:
                raise PdfRefused("too_large", f"{pages} pages, limit {max_pages}")
            _strip_active_content(pdf)  # resolves every object, so qpdf has warned by now
            for warning in pdf.get_warnings():
                # An object or cross-reference stream that does not inflate (or inflates past
                # FLATE_MAX_MEMORY): qpdf would go on with its objects as null. Refuse instead.
                if "error decoding stream data" in warning or "limit exceeded" in warning:
                    raise PdfRefused("corrupt_image", f"the PDF is damaged: {warning}")
            out = io.BytesIO()
            pdf.save(
                out,
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
                compress_streams=True,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                fix_metadata_version=False,
                deterministic_id=True,
            )
    except pikepdf.PasswordError as exc:
        raise PdfRefused("encrypted_pdf", "the PDF is encrypted") from exc
    except PdfRefused:
        raise
    except Exception as exc:  # qpdf's errors (PdfError, DataDecodingError...) and malformed trees
        raise PdfRefused("corrupt_image", f"the PDF cannot be read: {exc}") from exc
    return out.getvalue()


def _is_forbidden(value: object) -> bool:
    """Whether an object is an action or annotation that must go as a whole."""
    if not isinstance(value, Dictionary | Stream):
        return False
    action = value.get("/S")
    if isinstance(action, Name) and str(action) in _FORBIDDEN_ACTIONS:
        return True
    subtype = value.get("/Subtype")
    return isinstance(subtype, Name) and str(subtype) in _FORBIDDEN_ANNOTATIONS


def _strip_active_content(pdf: pikepdf.Pdf) -> None:
    """Walk every object of the file, indirect ones from qpdf's object list and direct ones
    nested inside them, and remove forbidden keys, actions and annotations."""
    stack: list[Dictionary | Stream | Array] = []
    if isinstance(pdf.trailer, Dictionary):
        stack.append(pdf.trailer)
    forbidden: list[Dictionary | Stream] = []
    for obj in pdf.objects:
        if isinstance(obj, Dictionary | Stream) and _is_forbidden(obj):
            forbidden.append(obj)
        elif isinstance(obj, Dictionary | Stream | Array):
            stack.append(obj)
    while stack:
        container = stack.pop()
        if isinstance(container, Array):
            for index in range(len(container) - 1, -1, -1):
                item = container[index]
                if _is_forbidden(item):
                    del container[index]
                elif isinstance(item, Dictionary | Array) and not item.is_indirect:
                    stack.append(item)
            continue
        for key in list(container.keys()):
            if key in _FORBIDDEN_KEYS:
                del container[key]
                continue
            value = container[key]
            if _is_forbidden(value):
                del container[key]
            elif isinstance(value, Dictionary | Array) and not value.is_indirect:
                stack.append(value)
    # Now cut loose from every referrer; also emptied, in case a reference was missed.
    for obj in forbidden:
        for key in list(obj.keys()):
            if key not in ("/Length", "/Filter", "/DecodeParms"):
                del obj[key]
