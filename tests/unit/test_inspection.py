"""Upload inspection: magic-byte sniffing, polyglot detection and metadata stripping."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib

import pikepdf
import pytest
from PIL import Image, ImageChops, PngImagePlugin

from api.documents.inspection import (
    Rejection,
    Sanitised,
    heic_supported,
    inspect_and_sanitise,
    normalise_content_type,
    sniff_content_type,
)
from tests.unit.test_pdf_sanitise import assert_inert

MB = 1024 * 1024
LIMIT = 10 * MB

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def picture(size: tuple[int, int] = (60, 40), mode: str = "RGB") -> Image.Image:
    """A small image with structure (so a wrong rotation is detectable)."""
    image = Image.new(mode, size, "white" if mode != "RGBA" else (255, 255, 255, 128))
    for x in range(size[0] // 3):
        for y in range(size[1] // 4):
            image.putpixel((x, y), (200, 30, 30) if mode == "RGB" else (200, 30, 30, 255))
    return image


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Model X"
    exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (21.0, 1.0, 42.0)
    gps[3] = "E"
    gps[4] = (105.0, 51.0, 12.0)
    return exif


def jpeg_bytes(image: Image.Image | None = None, **options: object) -> bytes:
    out = io.BytesIO()
    (image or picture()).save(out, format="JPEG", quality=85, **options)
    return out.getvalue()


def png_bytes(image: Image.Image | None = None, **options: object) -> bytes:
    out = io.BytesIO()
    (image or picture()).save(out, format="PNG", **options)
    return out.getvalue()


def webp_bytes(image: Image.Image | None = None, **options: object) -> bytes:
    out = io.BytesIO()
    (image or picture()).save(out, format="WEBP", **options)
    return out.getvalue()


def accepted(result: Sanitised | Rejection) -> Sanitised:
    assert isinstance(result, Sanitised), result
    return result


def rejected(result: Sanitised | Rejection) -> str:
    assert isinstance(result, Rejection), result
    return result.reason


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


# --- sniffing ---------------------------------------------------------------------------------


def test_sniff_content_type() -> None:
    assert sniff_content_type(jpeg_bytes()[:16]) == "image/jpeg"
    assert sniff_content_type(png_bytes()[:16]) == "image/png"
    assert sniff_content_type(webp_bytes()[:16]) == "image/webp"
    assert sniff_content_type(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n") == "application/pdf"
    for brand in (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis"):
        assert sniff_content_type(b"\x00\x00\x00\x18ftyp" + brand + b"\x00" * 4) == "image/heic"
    assert sniff_content_type(b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00") is None
    assert sniff_content_type(b"\x00\x00\x00\x18ftypisom\x00\x00\x00\x00") is None  # MP4
    assert sniff_content_type(b"GIF89a\x01\x00") is None
    assert sniff_content_type(b"RIFF\x00\x00\x00\x00WAVE") is None
    assert sniff_content_type(b"") is None


def test_normalise_content_type() -> None:
    assert normalise_content_type("image/jpg") == "image/jpeg"
    assert normalise_content_type(" Image/JPEG; charset=binary") == "image/jpeg"
    assert normalise_content_type("image/heif") == "image/heic"
    assert normalise_content_type("application/pdf") == "application/pdf"


# --- rejections -------------------------------------------------------------------------------


def test_text_file_renamed_to_jpg_is_unsupported() -> None:
    data = "Đơn đề nghị cấp giấy khai sinh\n".encode()
    assert rejected(inspect_and_sanitise(data, "image/jpeg", max_bytes=LIMIT)) == (
        "unsupported_type"
    )


def test_declared_png_but_really_jpeg_is_a_mismatch() -> None:
    result = inspect_and_sanitise(jpeg_bytes(), "image/png", max_bytes=LIMIT)
    assert rejected(result) == "type_mismatch"


def test_image_jpg_alias_is_accepted() -> None:
    assert accepted(inspect_and_sanitise(jpeg_bytes(), "image/jpg", max_bytes=LIMIT))


def test_too_large() -> None:
    data = jpeg_bytes() + b"\x00" * (20 * MB)
    assert rejected(inspect_and_sanitise(data, "image/jpeg", max_bytes=LIMIT)) == "too_large"


def test_truncated_jpeg_is_corrupt() -> None:
    data = jpeg_bytes(picture((300, 200)))
    for cut in (len(data) // 2, len(data) - 2, 200):
        result = inspect_and_sanitise(data[:cut], "image/jpeg", max_bytes=LIMIT)
        assert rejected(result) == "corrupt_image"


def test_truncated_png_and_bad_crc_are_corrupt() -> None:
    data = png_bytes()
    assert rejected(inspect_and_sanitise(data[:-20], "image/png", max_bytes=LIMIT)) == (
        "corrupt_image"
    )
    broken = bytearray(data)
    broken[40] ^= 0xFF  # inside the first IDAT chunk
    assert rejected(inspect_and_sanitise(bytes(broken), "image/png", max_bytes=LIMIT)) == (
        "corrupt_image"
    )


def test_corrupt_jpeg_body_is_rejected() -> None:
    data = bytearray(jpeg_bytes(picture((64, 64))))
    start_of_scan = data.find(b"\xff\xda")
    data[start_of_scan + 2 : start_of_scan + 4] = b"\x00\x01"  # impossible SOS length
    assert rejected(inspect_and_sanitise(bytes(data), "image/jpeg", max_bytes=LIMIT)) == (
        "corrupt_image"
    )


def test_jpeg_with_appended_zip_is_a_polyglot() -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("payload.txt", "hello")
    data = jpeg_bytes() + archive.getvalue()
    assert rejected(inspect_and_sanitise(data, "image/jpeg", max_bytes=LIMIT)) == "polyglot"


def test_jpeg_with_appended_html_is_a_polyglot() -> None:
    data = jpeg_bytes() + b"<html><body><script>alert(1)</script></body></html>"
    assert rejected(inspect_and_sanitise(data, "image/jpeg", max_bytes=LIMIT)) == "polyglot"


@pytest.mark.parametrize(
    "hidden", [b"<SCRIPT src=//x>", b"<html>", b"%PDF-1.4", b"PK\x03\x04\x14\x00", b"<?php"]
)
def test_markup_or_archive_inside_a_jpeg_is_a_polyglot(hidden: bytes) -> None:
    data = jpeg_bytes(comment=b"scan " + hidden + b" end")
    assert rejected(inspect_and_sanitise(data, "image/jpeg", max_bytes=LIMIT)) == "polyglot"


def test_jpeg_padding_after_eoi_is_tolerated() -> None:
    data = jpeg_bytes() + b"\x00" * 64
    assert accepted(inspect_and_sanitise(data, "image/jpeg", max_bytes=LIMIT))


def test_png_and_webp_with_trailing_data_are_polyglots() -> None:
    assert rejected(inspect_and_sanitise(png_bytes() + b"xx", "image/png", max_bytes=LIMIT)) == (
        "polyglot"
    )
    webp = webp_bytes() + b"<html>"
    assert rejected(inspect_and_sanitise(webp, "image/webp", max_bytes=LIMIT)) == "polyglot"


def test_png_text_chunk_with_script_is_a_polyglot() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    data = png_bytes(pnginfo=info)
    assert rejected(inspect_and_sanitise(data, "image/png", max_bytes=LIMIT)) == "polyglot"


def test_decompression_bomb_is_refused_before_decoding() -> None:
    width, height = 20_000, 20_000  # 400 megapixels declared, a few bytes of data
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + png_chunk(b"IEND", b"")
    )
    assert rejected(inspect_and_sanitise(data, "image/png", max_bytes=LIMIT)) == "too_large"
    # Also below Pillow's own limit, against ours.
    small = png_bytes(picture((100, 100)))
    result = inspect_and_sanitise(small, "image/png", max_bytes=LIMIT, max_pixels=5_000)
    assert rejected(result) == "too_large"


# --- metadata stripping -----------------------------------------------------------------------


def test_jpeg_gps_exif_xmp_and_comment_are_removed() -> None:
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    data = jpeg_bytes(exif=exif_with_gps(), comment=b"secret comment", xmp=xmp)
    original = Image.open(io.BytesIO(data))
    assert original.getexif().get_ifd(GPS_IFD)  # the fixture really has GPS
    assert b"secret comment" in data and b"PhoneMaker" in data

    result = accepted(inspect_and_sanitise(data, "image/jpeg", max_bytes=LIMIT))
    assert result.content_type == "image/jpeg"
    assert result.reencoded
    cleaned = Image.open(io.BytesIO(result.data))
    assert cleaned.format == "JPEG"
    assert "exif" not in cleaned.info
    assert len(cleaned.getexif()) == 0
    assert not cleaned.getexif().get_ifd(GPS_IFD)
    assert "xmp" not in cleaned.info and "comment" not in cleaned.info
    for leak in (b"Exif\x00\x00", b"PhoneMaker", b"secret comment", b"xmpmeta", b"adobe:ns"):
        assert leak not in result.data
    assert result.size == len(result.data)
    assert len(result.sha256) == 64
    assert (result.width, result.height) == (60, 40)


def test_exif_orientation_is_applied_before_stripping() -> None:
    # Stored landscape 60x40 with "rotate 90° CW to display" (6): displays as portrait 40x60.
    data = jpeg_bytes(picture((60, 40)), exif=exif_with_gps(orientation=6))
    result = accepted(inspect_and_sanitise(data, "image/jpeg", max_bytes=LIMIT))
    cleaned = Image.open(io.BytesIO(result.data))
    assert cleaned.size == (40, 60)
    assert (result.width, result.height) == (40, 60)
    # The red block (top-left when stored) is now top-right.
    pixel = cleaned.convert("RGB").getpixel((35, 2))
    assert isinstance(pixel, tuple)
    assert pixel[0] > 150 and pixel[1] < 100


def test_large_photo_is_scaled_down_upright() -> None:
    # 5000x3000 stored, "rotate 90° CW to display": stored as 4096 on the long edge, portrait.
    data = jpeg_bytes(picture((5000, 3000)), exif=exif_with_gps(orientation=6))
    result = accepted(inspect_and_sanitise(data, "image/jpeg", max_bytes=LIMIT))
    assert (result.width, result.height) == (2458, 4096)
    cleaned = Image.open(io.BytesIO(result.data))
    assert cleaned.size == (2458, 4096)
    assert len(cleaned.getexif()) == 0
    png = png_bytes(picture((4200, 100)))
    assert accepted(inspect_and_sanitise(png, "image/png", max_bytes=LIMIT)).width == 4096


def test_pixel_ceiling_is_checked_from_the_header() -> None:
    # 7000x7000 RGBA (49 MP) in a few hundred bytes of header and zlib data.
    ihdr = struct.pack(">IIBBBBB", 7000, 7000, 8, 6, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + png_chunk(b"IEND", b"")
    )
    assert rejected(inspect_and_sanitise(data, "image/png", max_bytes=LIMIT)) == "too_large"


def test_icc_profile_is_kept() -> None:
    from PIL import ImageCms

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = jpeg_bytes(icc_profile=icc, exif=exif_with_gps())
    result = accepted(inspect_and_sanitise(data, "image/jpeg", max_bytes=LIMIT))
    assert Image.open(io.BytesIO(result.data)).info.get("icc_profile") == icc


def test_png_round_trip_strips_text_and_exif() -> None:
    image = picture((32, 24), "RGBA")
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", "Scanner 1.0")
    info.add_text("Author", "Nguyễn Văn A")  # not Latin-1: written as iTXt
    info.add_text("Comment", "long comment " * 20, zip=True)
    data = png_bytes(image, pnginfo=info, exif=exif_with_gps())
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf"):
        assert chunk in data

    result = accepted(inspect_and_sanitise(data, "image/png", max_bytes=LIMIT))
    assert result.content_type == "image/png"
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf"):
        assert chunk not in result.data
    cleaned = Image.open(io.BytesIO(result.data))
    assert cleaned.mode == "RGBA"
    assert ImageChops.difference(cleaned, image).getbbox() is None  # lossless


def test_palette_png_keeps_transparency() -> None:
    image = picture((16, 16)).convert("P")
    data = png_bytes(image, transparency=0)
    result = accepted(inspect_and_sanitise(data, "image/png", max_bytes=LIMIT))
    assert Image.open(io.BytesIO(result.data)).info.get("transparency") == 0


def test_webp_round_trip() -> None:
    image = picture((32, 24))
    lossless = webp_bytes(image, lossless=True, exif=exif_with_gps())
    assert b"EXIF" in lossless
    result = accepted(inspect_and_sanitise(lossless, "image/webp", max_bytes=LIMIT))
    assert result.content_type == "image/webp"
    assert b"EXIF" not in result.data and b"PhoneMaker" not in result.data
    cleaned = Image.open(io.BytesIO(result.data))
    assert ImageChops.difference(cleaned.convert("RGB"), image).getbbox() is None

    lossy = webp_bytes(image, quality=70, exif=exif_with_gps())
    result = accepted(inspect_and_sanitise(lossy, "image/webp", max_bytes=LIMIT))
    assert b"EXIF" not in result.data
    assert Image.open(io.BytesIO(result.data)).size == (32, 24)


def test_multi_picture_jpeg_is_accepted_as_one_image() -> None:
    out = io.BytesIO()
    first, second = picture((40, 30)), picture((40, 30)).rotate(180)
    first.save(out, format="MPO", save_all=True, append_images=[second], exif=exif_with_gps())
    data = out.getvalue()
    assert data.count(b"\xff\xd8") >= 2
    result = accepted(inspect_and_sanitise(data, "image/jpeg", max_bytes=LIMIT))
    assert result.data.count(b"\xff\xd8\xff") == 1
    assert b"MPF\x00" not in result.data and b"PhoneMaker" not in result.data


def test_cmyk_and_greyscale_jpegs() -> None:
    for mode in ("CMYK", "L"):
        data = jpeg_bytes(picture((20, 20)).convert(mode))
        result = accepted(inspect_and_sanitise(data, "image/jpeg", max_bytes=LIMIT))
        assert Image.open(io.BytesIO(result.data)).mode == mode


# --- HEIC -------------------------------------------------------------------------------------


def heic_bytes() -> bytes:
    pillow_heif = pytest.importorskip("pillow_heif", reason="pillow-heif is not installed")
    if not pillow_heif.libheif_info().get("HEIF"):
        pytest.skip("libheif has no HEVC encoder to write a HEIC fixture")
    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    picture((64, 48)).save(out, format="HEIF", quality=90, exif=exif_with_gps().tobytes())
    return out.getvalue()


def test_heic_is_converted_to_a_clean_jpeg() -> None:
    data = heic_bytes()
    assert sniff_content_type(data[:16]) == "image/heic"
    assert b"PhoneMaker" in data
    assert heic_supported()
    for declared in ("image/heic", "image/heif"):
        result = accepted(inspect_and_sanitise(data, declared, max_bytes=LIMIT))
        assert result.content_type == "image/jpeg"
        assert result.data.startswith(b"\xff\xd8\xff")
        assert b"PhoneMaker" not in result.data and b"Exif\x00\x00" not in result.data
        assert (result.width, result.height) == (64, 48)


def test_heic_truncated_or_with_trailing_data() -> None:
    data = heic_bytes()
    assert rejected(inspect_and_sanitise(data[:-100], "image/heic", max_bytes=LIMIT)) == (
        "corrupt_image"
    )
    assert rejected(inspect_and_sanitise(data + b"<html>", "image/heic", max_bytes=LIMIT)) == (
        "polyglot"
    )


def test_heic_refused_when_pillow_heif_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    import api.documents.inspection as inspection

    monkeypatch.setattr(inspection, "pillow_heif", None)
    fake = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"
    assert rejected(inspect_and_sanitise(fake, "image/heic", max_bytes=LIMIT)) == (
        "unsupported_type"
    )


# --- PDF --------------------------------------------------------------------------------------


def build_pdf(catalog_extra: bytes = b"", extra_objects: tuple[bytes, ...] = ()) -> bytes:
    """A minimal one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        *extra_objects,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_minimal_pdf_is_rewritten() -> None:
    data = build_pdf()
    result = accepted(inspect_and_sanitise(data, "application/pdf", max_bytes=LIMIT))
    assert result.data != data  # written anew by qpdf, not stored as uploaded
    assert result.data.startswith(b"%PDF-")
    assert result.content_type == "application/pdf"
    assert result.reencoded
    assert result.size == len(result.data)
    assert result.sha256 == hashlib.sha256(result.data).hexdigest()
    assert_inert(result.data)


def test_pillow_written_pdf_passes() -> None:
    out = io.BytesIO()
    picture((50, 50)).save(out, format="PDF")
    assert accepted(inspect_and_sanitise(out.getvalue(), "application/pdf", max_bytes=LIMIT))


# Active content used to be refused as a polyglot; it is now removed by the rewrite (see
# test_pdf_sanitise.py for the full set), and the cleaned file is stored.
@pytest.mark.parametrize(
    ("catalog_extra", "extra_objects"),
    [
        (b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> ", ()),
        (b"/OpenAction 4 0 R ", (b"<< /S /JavaScript /JS 5 0 R >>", b"<< /Length 12 >>")),
        # Hex-escaped names (/J#61vaScript is /JavaScript) must not slip through.
        (b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> ", ()),
        (b"/Names << /EmbeddedFiles 4 0 R >> ", (b"<< /Names [] >>",)),
        (b"/AF [4 0 R] ", (b"<< /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >>", b"<< >>")),
        (b"/OpenAction 4 0 R ", (b"<< /S /Launch /F (cmd.exe) >>",)),
    ],
)
def test_pdf_active_content_is_removed(
    catalog_extra: bytes, extra_objects: tuple[bytes, ...]
) -> None:
    data = build_pdf(catalog_extra, extra_objects)
    assert_inert(accepted(inspect_and_sanitise(data, "application/pdf", max_bytes=LIMIT)).data)


def test_pdf_names_that_merely_start_like_active_ones_are_fine() -> None:
    data = build_pdf(b"/JSONData (x) /Launcher (y) /PageMode /UseNone ")
    result = accepted(inspect_and_sanitise(data, "application/pdf", max_bytes=LIMIT))
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        assert {"/JSONData", "/Launcher", "/PageMode"} <= set(pdf.Root.keys())


def test_pdf_polyglots_and_truncation() -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a.txt", "x")
    data = build_pdf()
    assert (
        rejected(
            inspect_and_sanitise(data + archive.getvalue(), "application/pdf", max_bytes=LIMIT)
        )
        == "polyglot"
    )
    assert (
        rejected(inspect_and_sanitise(data + b"<html></html>", "application/pdf", max_bytes=LIMIT))
        == "polyglot"
    )
    assert rejected(inspect_and_sanitise(data[:-30], "application/pdf", max_bytes=LIMIT)) == (
        "corrupt_image"
    )
    assert accepted(inspect_and_sanitise(data + b"\r\n\n", "application/pdf", max_bytes=LIMIT))


def test_pdf_declared_as_image_is_a_mismatch() -> None:
    assert rejected(inspect_and_sanitise(build_pdf(), "image/jpeg", max_bytes=LIMIT)) == (
        "type_mismatch"
    )
