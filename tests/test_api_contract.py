"""Property-based run of every documented operation (schemathesis) in three auth contexts:
no server errors, and every response matches the OpenAPI document, problems included.

Bounded to a few examples per operation so it fits in `make test`; a longer run is
`SCHEMATHESIS_EXAMPLES=200 .venv/bin/python -m pytest tests/test_api_contract.py`.
"""

from __future__ import annotations

import asyncio
import os
import random
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.generation.case import Case

from api.core.db import connect
from api.settings import Settings
from tests import support
from tests.conftest import ServedApp

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "4"))


@pytest.fixture(scope="session")
def api_schema(served_app: ServedApp) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{served_app.base_url}/schema/openapi.json")


@pytest.fixture(scope="session")
def auth_contexts(settings: Settings, served_app: ServedApp) -> Iterator[dict[str, dict[str, str]]]:
    async def sign_in() -> dict[str, dict[str, str]]:
        conn = await connect(settings.database_url)
        try:
            _, citizen = await support.citizen(conn, settings)
            _, officer = await support.staff(conn, settings)
        finally:
            await conn.close()
        return {"anonymous": {}, "citizen": citizen, "officer": officer}

    yield asyncio.run(sign_in())


def test_every_operation_answers_within_its_contract(
    api_schema: schemathesis.BaseSchema,
    auth_contexts: dict[str, dict[str, str]],
    served_app: ServedApp,
) -> None:
    failures: list[str] = []
    operations = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def answers_within_contract(case: Case) -> None:
            for credentials in auth_contexts.values():
                # Each call comes from its own address: per-IP limits must not turn it into 429s.
                address = f"203.0.113.{random.randrange(1, 255)}"
                case.call_and_validate(
                    base_url=served_app.base_url,
                    headers={**credentials, "X-Forwarded-For": address},
                    checks=[not_a_server_error, response_schema_conformance],
                )

        try:
            answers_within_contract()
        except Exception as exc:
            failures.append(f"{operation.label}: {exc}")
    assert operations > 20
    assert not failures, "\n\n".join(failures)
