"""What offline sync answers with when it refuses (texts in api/messages/sync.toml)."""

from __future__ import annotations

from api.applications.problems import MoveRefused
from api.core.problems import Problem


class DeviceUnknown(Problem):
    """No such device for this officer (never registered, or registered by someone else)."""

    status = 401
    slug = "device-unknown"
    entry = "sync.problems.device-unknown"

    def __init__(self) -> None:
        super().__init__(headers={"WWW-Authenticate": "Bearer"})


class DeviceRevoked(Problem):
    """An administrator revoked the device; the client keeps its outbox for another one."""

    status = 401
    slug = "device-revoked"
    entry = "sync.problems.device-revoked"

    def __init__(self) -> None:
        super().__init__(headers={"WWW-Authenticate": "Bearer"})


class DeviceIdTaken(Problem):
    status = 409
    slug = "device-id-taken"
    entry = "sync.problems.device-id-taken"


class SyncCursorExpired(Problem):
    """The cursor cannot be served any more: drop the local work set and pull a snapshot."""

    status = 410
    slug = "sync-cursor-expired"
    entry = "sync.problems.sync-cursor-expired"


class ClientIdReused(Problem):
    """A client-made id (command, block, upload) came back with different content."""

    status = 422
    slug = "client-id-reused"
    entry = "sync.problems.client-id-reused"


class ReceiptCodeNotReserved(Problem):
    status = 422
    slug = "receipt-code-not-reserved"
    entry = "sync.problems.receipt-code-not-reserved"


class ReceiptCodeUsed(Problem):
    status = 409
    slug = "receipt-code-used"
    entry = "sync.problems.receipt-code-used"


class DeviceTimeImplausible(Problem):
    """The device's clock puts the intake outside what its receipt block allows."""

    status = 422
    slug = "device-time-implausible"
    entry = "sync.problems.device-time-implausible"


class OriginDeviceForeign(Problem):
    """A carried command names an origin device that is unknown or of another unit."""

    status = 422
    slug = "origin-device-foreign"
    entry = "sync.problems.origin-device-foreign"


class IntakeAfterRevocation(Problem):
    """A carried intake was taken on its origin device after that device was revoked."""

    status = 422
    slug = "intake-after-revocation"
    entry = "sync.problems.intake-after-revocation"


class UploadIncomplete(Problem):
    """A command names an upload whose bytes have not all arrived: retry after the upload."""

    status = 409
    slug = "upload-incomplete"
    entry = "sync.problems.upload-incomplete"


class UploadAlreadyUsed(Problem):
    status = 409
    slug = "upload-already-used"
    entry = "sync.problems.upload-already-used"


class UploadOffsetMismatch(Problem):
    """The chunk does not start where the server's copy ends; ``offset`` says where it does."""

    status = 409
    slug = "upload-offset-mismatch"
    entry = "sync.problems.upload-offset-mismatch"


class ChunkChecksumMismatch(Problem):
    status = 422
    slug = "chunk-checksum-mismatch"
    entry = "sync.problems.chunk-checksum-mismatch"


class UploadChecksumMismatch(Problem):
    """The whole file's SHA-256 differs from the declaration; its chunks were dropped."""

    status = 422
    slug = "upload-checksum-mismatch"
    entry = "sync.problems.upload-checksum-mismatch"


class PredecessorNotApplied(Problem):
    """The command builds on one of the device's commands that was not applied (a conflict or
    a refusal), so the state it assumed never existed on the server."""

    status = 409
    slug = "predecessor-not-applied"
    entry = "sync.problems.predecessor-not-applied"


class ApplicationLeased(MoveRefused):
    """Another officer's device holds the application for offline work; ``lease`` names the
    holder and when the lease ends."""

    status = 409
    slug = "application-leased"
    entry = "sync.problems.application-leased"
