"""The problem types of sign-in, sessions and accounts (texts in api/messages/accounts.toml;
slugs and extra members listed in docs/problems.md)."""

from __future__ import annotations

from api.core.problems import NotFound, Problem, RateLimited, ServiceUnavailable

_BEARER_CHALLENGE = {"WWW-Authenticate": "Bearer"}


class OtpExpired(Problem):
    """Expired, already used, or never requested."""

    status = 400
    slug = "otp-expired"
    entry = "accounts.problems.otp-expired"


class OtpInvalid(Problem):
    status = 400
    slug = "otp-invalid"
    entry = "accounts.problems.otp-invalid"

    def __init__(self, attempts_left: int) -> None:
        super().__init__(attempts_left=attempts_left)


class OtpLocked(Problem):
    """Voided after too many wrong tries."""

    status = 400
    slug = "otp-locked"
    entry = "accounts.problems.otp-locked"


class SmsUnavailable(ServiceUnavailable):
    """The code could not be queued for delivery; none was kept."""

    slug = "sms-unavailable"
    entry = "accounts.problems.sms-unavailable"


class RefreshTokenInvalid(Problem):
    status = 401
    slug = "refresh-token-invalid"
    entry = "accounts.problems.refresh-token-invalid"

    def __init__(self) -> None:
        super().__init__(headers=dict(_BEARER_CHALLENGE))


class RefreshTokenReused(Problem):
    """A spent refresh token came back: the session is revoked."""

    status = 401
    slug = "refresh-token-reused"
    entry = "accounts.problems.refresh-token-reused"

    def __init__(self) -> None:
        super().__init__(headers=dict(_BEARER_CHALLENGE))


class InvalidCredentials(Problem):
    """Wrong password or unknown username: the same answer, so usernames stay private."""

    status = 401
    slug = "invalid-credentials"
    entry = "accounts.problems.invalid-credentials"


class AccountDisabled(Problem):
    status = 403
    slug = "account-disabled"
    entry = "accounts.problems.account-disabled"


class AccountNotFound(NotFound):
    entry = "accounts.problems.account-not-found"


class NoAccountHolds(NotFound):
    """Counter look-up: no account holds both the CCCD number and the phone given."""

    slug = "citizen-account-not-found"
    entry = "accounts.problems.citizen-account-not-found"


class CitizenLookupsUsedUp(RateLimited):
    """An officer's hourly budget of counter look-ups is spent (same type as every limit)."""

    entry = "accounts.problems.citizen-lookups-used-up"


class CitizenIdVerifiedElsewhere(Problem):
    """Another citizen already holds this CCCD number verified (for the verifying officer)."""

    status = 409
    slug = "citizen-id-verified-elsewhere"
    entry = "accounts.problems.citizen-id-verified-elsewhere"
