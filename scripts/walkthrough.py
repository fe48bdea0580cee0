"""Walk through one application as real people would, against a running `make run`:
a citizen signs in by OTP, files a certified-copy request with a photo uploaded straight to
storage, submits; the Ba Đình officer takes it to a result; anyone tracks it by receipt code.

    .venv/bin/python scripts/walkthrough.py [http://127.0.0.1:8000]
"""

from __future__ import annotations

import hashlib
import io
import sys
import uuid
from typing import Any

import httpx
from PIL import Image

from api.seed import DEMO_CITIZEN, DEMO_PASSWORD


def check(response: httpx.Response, status: int) -> dict[str, Any]:
    if response.status_code != status:
        raise SystemExit(f"{response.request.method} {response.request.url}: {response.text}")
    return response.json() if response.content else {}


def photo(kind: str = "JPEG") -> bytes:
    """A page as the phone photographs it (JPEG), or as the office scans a result (PDF)."""
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 180, 150)).save(buffer, kind)
    return buffer.getvalue()


def upload(api: httpx.Client, headers: dict[str, str], app_id: str, requirement: str) -> None:
    data = photo() if requirement != "result" else photo("PDF")
    content_type = "image/jpeg" if requirement != "result" else "application/pdf"
    ticket = check(
        api.post(
            f"/api/v1/applications/{app_id}/documents",
            json={
                "requirement": requirement,
                "content_type": content_type,
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            },
            headers=headers,
        ),
        201,
    )
    # One multipart POST: the ticket's form fields as given, then the file in a part "file".
    httpx.post(
        ticket["upload_url"],
        data=ticket["fields"],
        files={"file": ("document", data, content_type)},
    ).raise_for_status()
    check(
        api.post(
            f"/api/v1/applications/{app_id}/documents/{ticket['document_id']}/complete",
            headers=headers,
        ),
        200,
    )


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    api = httpx.Client(base_url=base, timeout=30)
    phone = str(DEMO_CITIZEN["phone"])
    code = check(api.post("/api/v1/auth/otp", json={"phone": phone}), 202)["dev_code"]
    tokens = check(api.post("/api/v1/auth/otp/verify", json={"phone": phone, "code": code}), 200)
    citizen = {"Authorization": f"Bearer {tokens['access_token']}"}
    print("citizen signed in; profile complete:", tokens["account"]["profile_complete"])

    found = check(api.get("/api/v1/procedures", params={"q": "chung thuc ban sao"}), 200)
    procedure_code = found["items"][0]["code"]
    detail = check(api.get(f"/api/v1/procedures/{procedure_code}"), 200)
    print("procedure:", detail["name_vi"], f"({detail['processing_days']} ngày làm việc)")
    form = {
        "document_name": "Bằng tốt nghiệp THPT",
        "issued_by": "vietnam",
        "page_count": 1,
        "copy_count": 2,
    }
    app = check(
        api.post(
            "/api/v1/applications",
            json={"procedure_code": procedure_code, "form": form},
            headers={**citizen, "Idempotency-Key": str(uuid.uuid4())},
        ),
        201,
    )
    for document in detail["required_documents"]:
        if document["required"]:
            upload(api, citizen, app["id"], document["code"])
    submitted = check(api.post(f"/api/v1/applications/{app['id']}/submit", headers=citizen), 200)
    receipt = submitted["receipt_code"]
    print("submitted:", receipt, "due", submitted["due_date"])

    login = {"username": "canbo.badinh", "password": DEMO_PASSWORD}
    officer_tokens = check(api.post("/api/v1/auth/login", json=login), 200)
    officer = {"Authorization": f"Bearer {officer_tokens['access_token']}"}
    queue = check(api.get("/api/v1/officer/queue", headers=officer), 200)
    print("officer queue:", len(queue["items"]), "application(s)")
    version = submitted["version"]
    for action in ("receive", "start", "approve"):
        moved = check(
            api.post(
                f"/api/v1/applications/{app['id']}/transitions",
                json={"action": action, "expected_version": version},
                headers=officer,
            ),
            200,
        )
        version = moved["version"]
        print(f"  {action} → {moved['status']}")
    upload(api, officer, app["id"], "result")
    moved = check(
        api.post(
            f"/api/v1/applications/{app['id']}/transitions",
            json={"action": "issue_result", "expected_version": version},
            headers=officer,
        ),
        200,
    )
    print("  issue_result →", moved["status"])
    tracked = check(api.get(f"/api/v1/track/{receipt}"), 200)
    print(
        "public tracking:", tracked["status"], tracked["on_time"], tracked["applicant_name_masked"]
    )


if __name__ == "__main__":
    main()
