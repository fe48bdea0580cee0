"""Steps the browser tests share: a generated phone photo of a paper, the profile form, and
filling the temporary-residence form (CT-TAMTRU: six fields and one photo)."""

from __future__ import annotations

import io
import random
from pathlib import Path

from minio import Minio
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from api.settings import Settings

PROCEDURE = "CT-TAMTRU"
PROCEDURE_NAME = "Đăng ký tạm trú"
DOCUMENT = "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp"


def document_photo(path: Path, width: int = 3000, height: int = 4000) -> Path:
    """A phone camera's photo of a printed page: paper, lines of text, a little shading."""
    image = Image.new("RGB", (width, height), (236, 232, 222))
    draw = ImageDraw.Draw(image)
    rng = random.Random(7)
    for y in range(300, height - 300, 90):
        x = 250
        while x < width - 400:
            word = rng.randint(60, 260)
            draw.rectangle([x, y, x + word, y + 38], fill=(40, 40, 48))
            x += word + 40
    for band in range(0, height, 8):
        shade = 220 + (band * 20) // height
        draw.line([(0, band), (60, band)], fill=(shade, shade, shade))
    image.save(path, "JPEG", quality=92)
    return path


def fill_profile(page: Page) -> None:
    page.get_by_label("Họ và tên").fill("Trần Thị Bình")
    page.get_by_label("Ngày sinh").fill("1992-03-14")
    page.get_by_label("Nữ").check()
    page.get_by_label("Số CCCD (12 chữ số)").fill("001192004567")
    page.get_by_label("Tỉnh, thành phố").select_option("01")
    page.get_by_label("Xã, phường, đặc khu").select_option("00004")
    page.get_by_label("Số nhà, đường, thôn/xóm").fill("12 Phố Đội Cấn")
    page.get_by_role("button", name="Lưu").click()


def fill_residence_form(page: Page, photo: Path | None) -> None:
    expect(page.get_by_role("heading", name=f"Hồ sơ: {PROCEDURE_NAME}")).to_be_visible()
    fill_residence_fields(page)
    if photo is not None:
        page.get_by_label(f"Chọn ảnh hoặc tệp: {DOCUMENT}").set_input_files(str(photo))
        expect(page.get_by_text("Ảnh 1 —")).to_be_visible()


def fill_residence_fields(page: Page) -> None:
    """The temporary-residence procedure's own fields, as the citizen's form and the officer's
    counter intake both show them."""
    page.get_by_label("Nơi đăng ký tạm trú (tỉnh, xã): Tỉnh, thành phố").select_option("01")
    page.get_by_label("Nơi đăng ký tạm trú (tỉnh, xã): Xã, phường, đặc khu").select_option("00004")
    page.get_by_label("Số nhà, đường phố, thôn, tổ dân phố").fill("5 Ngõ Trạm")
    page.get_by_label("Ngày bắt đầu tạm trú").fill("2026-01-05")
    page.get_by_label("Thời hạn đề nghị tạm trú (tháng)").fill("12")
    page.get_by_label("Mục đích tạm trú").select_option("work")
    page.get_by_label("Loại chỗ ở").select_option("rented")


def stored_object(settings: Settings, key: str) -> bytes:
    endpoint = settings.s3_endpoint.removeprefix("http://")
    client = Minio(
        endpoint,
        access_key=settings.s3_access_key,
        secret_key=settings.s3_secret_key,
        secure=False,
        region=settings.s3_region,
    )
    response = client.get_object(settings.s3_bucket, key)
    try:
        return bytes(response.read())
    finally:
        response.close()
        response.release_conn()


def image_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size
