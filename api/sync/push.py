"""The push: a device's outbox, each command applied once, in its own transaction, with one
answer per command (docs/sync.md).

Per command: take the command id's lock (a duplicated request waits for its twin), look for a
stored answer (a replay gets ``duplicate``), check its predecessor arrived, run it in a
savepoint, and store its first final answer beside what it changed, in the same commit. A
refused move is a ``conflict`` (with the server's record) or ``rejected``; what can succeed
later (an upload not finished, storage out of reach, a predecessor not arrived) is ``retry``
and stores nothing, so the device sends it again.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from typing import Any

import asyncpg
import msgspec
import urllib3
from minio.error import ServerError

from api.applications.problems import TransitionNotAllowed, VersionConflict
from api.applications.receipts import ReceiptCodes, ReceiptNumbersExhausted
from api.core.actors import Actor
from api.core.problems import MAX_LISTED_ERRORS, FieldProblem, Problem, validation_failed
from api.core.storage import ObjectStorage
from api.geo.directory import AdminUnits
from api.messages import Language
from api.settings import Settings
from api.sync.commands import CommandRunner, PredecessorMissing
from api.sync.devices import Device
from api.sync.problems import (
    ApplicationLeased,
    ClientIdReused,
    PredecessorNotApplied,
    UploadIncomplete,
)
from api.sync.pull import current_record
from api.sync.repository import SyncRepository
from api.sync.schemas import Command, CommandResult, PushRequest, PushResult, RetryReason

logger = logging.getLogger("api.sync")

# Answers that can change later: the command is not stored and the device sends it again.
_UNAVAILABLE = (urllib3.exceptions.HTTPError, ServerError, OSError, ReceiptNumbersExhausted)


class _Retry(Exception):
    def __init__(self, reason: RetryReason) -> None:
        super().__init__(reason)
        self.reason = reason


def fingerprint(command: Command) -> str:
    """What makes a replay the same command: everything it says, in canonical JSON. An
    ``origin_device_id`` left out is left out of the fingerprint too, so commands stored before
    that field existed still match their replays."""
    said = msgspec.to_builtins(command, order="sorted")
    if said["origin_device_id"] is None:
        del said["origin_device_id"]
    return hashlib.sha256(msgspec.json.encode(said, order="sorted")).hexdigest()


def problem_body(problem: Problem, language: Language) -> dict[str, Any]:
    """The RFC 9457 body of a problem, as an answer stores it."""
    title = problem.title.render(language)
    body: dict[str, Any] = {
        "type": f"/problems/{problem.slug}",
        "title": title,
        "status": problem.status,
        "detail": problem.detail.render(language) if problem.detail else title,
    }
    if problem.errors:
        body["errors"] = [
            {"path": e.path, "code": e.code, "message": e.text(language)}
            for e in problem.errors[:MAX_LISTED_ERRORS]
        ]
    body.update(msgspec.to_builtins(problem.members))
    return body


class PushService:
    def __init__(
        self,
        conn: asyncpg.Connection,
        *,
        units: AdminUnits,
        receipt_codes: ReceiptCodes,
        storage: ObjectStorage,
        settings: Settings,
    ) -> None:
        self._conn = conn
        self._units = units
        self._receipt_codes = receipt_codes
        self._storage = storage
        self._settings = settings
        self._repo = SyncRepository(conn)

    async def push(
        self, actor: Actor, device: Device, body: PushRequest, language: Language
    ) -> PushResult:
        if body.device_id != device.id:
            raise validation_failed(
                [FieldProblem("device_id", "invalid", "sync.fields.device-mismatch")]
            )
        runner = CommandRunner(
            self._conn,
            units=self._units,
            receipt_codes=self._receipt_codes,
            storage=self._storage,
            settings=self._settings,
            actor=actor,
            device=device,
        )
        return PushResult(
            results=[
                await self._one(runner, actor, device, command, language)
                for command in body.commands
            ]
        )

    async def _one(
        self,
        runner: CommandRunner,
        actor: Actor,
        device: Device,
        command: Command,
        language: Language,
    ) -> CommandResult:
        """The command's answer. Photos it wrote to storage stay only when the answer is
        ``applied`` and committed; otherwise no row names them, and they are deleted."""
        runner.written.clear()
        result: CommandResult | None = None
        try:
            result = await self._answer(runner, actor, device, command, language)
            return result
        finally:
            if runner.written and (result is None or result.outcome != "applied"):
                await self._discard(runner.written)

    async def _discard(self, keys: list[str]) -> None:
        """Delete objects a rolled-back command wrote. A failure is logged, not raised: the
        answer must not be lost, and no row will ever serve those keys."""
        try:
            await self._storage.delete_many(keys)
        except Exception:
            logger.exception("could not delete objects of a failed command", extra={"keys": keys})

    async def _answer(
        self,
        runner: CommandRunner,
        actor: Actor,
        device: Device,
        command: Command,
        language: Language,
    ) -> CommandResult:
        digest = fingerprint(command)
        try:
            async with self._conn.transaction():
                await self._repo.lock_command(command.command_id)
                earlier = await self._repo.command(command.command_id)
                if earlier is not None:
                    return self._replay(command, earlier, digest, language)
                predecessor = (
                    await self._repo.command(command.depends_on) if command.depends_on else None
                )
                if command.depends_on is not None and predecessor is None:
                    raise _Retry("predecessor_missing")
                if predecessor is not None and predecessor["outcome"] != "applied":
                    result = await self._conflict(
                        runner, command, PredecessorNotApplied(), language
                    )
                else:
                    result = await self._run(runner, command, language)
                await self._repo.insert_command(
                    command_id=command.command_id,
                    device_id=device.id,
                    staff_id=actor.id,
                    type=command.type,
                    fingerprint=digest,
                    application_ref=(
                        command.application_ref if command.type == "counter_intake" else None
                    ),
                    application_id=result.application_id,
                    outcome=result.outcome,
                    answer=msgspec.to_builtins(result),
                    device_time=command.device_time,
                )
                return result
        except _Retry as retry:
            return CommandResult(
                command_id=command.command_id, outcome="retry", reason=retry.reason
            )

    async def _run(
        self, runner: CommandRunner, command: Command, language: Language
    ) -> CommandResult:
        """The command's final answer; raises ``_Retry`` for what can succeed later."""
        try:
            async with self._conn.transaction():
                return await runner.run(command)
        except PredecessorMissing:
            raise _Retry("predecessor_missing") from None
        except UploadIncomplete:
            raise _Retry("upload_incomplete") from None
        except _UNAVAILABLE as exc:
            logger.warning("sync command deferred", extra={"error": repr(exc)})
            raise _Retry("unavailable") from None
        except (VersionConflict, TransitionNotAllowed, ApplicationLeased) as refused:
            return await self._conflict(runner, command, refused, language)
        except Problem as refused:
            return CommandResult(
                command_id=command.command_id,
                outcome="rejected",
                problem=problem_body(refused, language),
            )
        except Exception:
            # A fault of ours, not the command's: keep it in the outbox rather than lose it,
            # and let the rest of the batch go on.
            logger.exception("sync command failed", extra={"command_id": str(command.command_id)})
            raise _Retry("unavailable") from None

    async def _conflict(
        self, runner: CommandRunner, command: Command, refused: Problem, language: Language
    ) -> CommandResult:
        """The server state moved away from what the command assumed: its current record."""
        application_id = await _named_application(runner, command)
        return CommandResult(
            command_id=command.command_id,
            outcome="conflict",
            application_id=application_id,
            current=await current_record(self._conn, application_id) if application_id else None,
            problem=problem_body(refused, language),
        )

    def _replay(
        self, command: Command, earlier: asyncpg.Record, digest: str, language: Language
    ) -> CommandResult:
        if earlier["fingerprint"] != digest:
            return CommandResult(
                command_id=command.command_id,
                outcome="rejected",
                problem=problem_body(ClientIdReused(command_id=str(command.command_id)), language),
            )
        return CommandResult(
            command_id=command.command_id,
            outcome="duplicate",
            application_id=earlier["application_id"],
            first=msgspec.convert(earlier["answer"], CommandResult),
        )


async def _named_application(runner: CommandRunner, command: Command) -> uuid.UUID | None:
    try:
        return await runner.application_of(command)
    except (Problem, PredecessorMissing):
        return None
