"""No phone or CCCD number reaches a log line whole: the JSON formatter masks them in the
message, the extra fields and tracebacks; arq's job-start lines lose their arguments."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from api.core.logging import HideJobArguments, JsonFormatter, mask_personal_data


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger(f"test.masking.{id(stream)}")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield logger, stream
    finally:
        logger.removeHandler(handler)


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("0912345678", "091****678"),
        ("+84912345678", "+8491****678"),
        ("84912345678", "8491****678"),
        ("001090123345", "001******345"),
        ("gửi tới 0912345678, CCCD 001090123345.", "gửi tới 091****678, CCCD 001******345."),
        ("phone=0987654321&id=079203000123", "phone=098****321&id=079******123"),
        # Not phones or CCCDs: other lengths, ids and times stay as they are.
        ("12345", "12345"),
        ("00004", "00004"),
        ("1234567890123", "1234567890123"),
        ("2026-01-05T10:00:00", "2026-01-05T10:00:00"),
        ("3f2a9c1e-0b7d-4c2e-9a51-6d0e8f7b1c23", "3f2a9c1e-0b7d-4c2e-9a51-6d0e8f7b1c23"),
    ],
)
def test_mask_personal_data(text: str, masked: str) -> None:
    assert mask_personal_data(text) == masked


def test_phone_and_cccd_are_masked_in_the_message_and_extras(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = captured
    logger.info(
        "otp for %s with id %s",
        "0912345678",
        "001090123345",
        extra={
            "phone": "+84912345678",
            "citizen_id_number": "001090123345",
            "nested": {"to": ["0987654321"], "count": 3},
            "status": 202,
        },
    )
    try:
        raise ValueError("gateway refused 0912345678")
    except ValueError:
        logger.exception("sms failed")
    output = stream.getvalue()
    for whole in ("0912345678", "912345678", "001090123345", "0987654321"):
        assert whole not in output
    first, second = _lines(stream)
    assert first["msg"] == "otp for 091****678 with id 001******345"
    assert first["phone"] == "+8491****678"
    assert first["citizen_id_number"] == "001******345"
    assert first["nested"] == {"to": ["098****321"], "count": 3}
    assert first["status"] == 202
    assert "091****678" in second["exc"]


def test_arq_job_start_lines_lose_their_arguments(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = captured
    logger.addFilter(HideJobArguments())
    text = "Mã xác thực Một Cửa của bạn là 482913, hiệu lực 5 phút."
    arguments = f"phone='0912345678', text='{text}'"
    # arq's own format string for a job that starts.
    logger.info("%6.2fs → %s(%s)%s", 0.01, "otp:abc:send_sms", arguments, "")
    [line] = _lines(stream)
    assert line["msg"] == "  0.01s → otp:abc:send_sms(…)"
    assert "482913" not in stream.getvalue()
