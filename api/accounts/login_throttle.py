"""How failed staff sign-ins are held back: per username and client address, with delays that
grow from one minute to fifteen. The pair, not the account, is held back, so an attacker who
knows an officer's username cannot lock the officer out, and an unknown username is held back
exactly like a real one, so the answers never tell them apart. A budget per address across
usernames (the ``login-ip`` rate limit) stops spraying one password over many accounts.

Pure: the repository keeps each pair's ``ThrottleState``.
"""

from __future__ import annotations

from dataclasses import dataclass

FAILURES_BEFORE_FIRST_DELAY = 5
FIRST_DELAY_SECONDS = 60
LONGEST_DELAY_SECONDS = 900
# The budget of one address across all usernames: generous for a shared office connection,
# and still a stop to password spraying over many accounts.
STAFF_LOGIN_PER_IP_LIMIT = 30
STAFF_LOGIN_PER_IP_WINDOW_SECONDS = 900
# A pair nobody has failed with for this long starts over (and its row may be purged).
FORGET_AFTER_SECONDS = 24 * 3600


@dataclass(frozen=True, slots=True)
class ThrottleState:
    failures: int = 0
    delays: int = 0
    blocked_for: int = 0


@dataclass(frozen=True, slots=True)
class AfterFailure:
    failures: int
    delays: int
    delay_seconds: int
    """0 when this failure starts no delay."""


def after_failure(state: ThrottleState) -> AfterFailure:
    """The pair's state after one more failure. The fifth failure in a row starts a one-minute
    delay; after that, each failure (one try per delay) starts a delay twice as long."""
    failures = state.failures + 1
    if state.delays == 0 and failures < FAILURES_BEFORE_FIRST_DELAY:
        return AfterFailure(failures, 0, 0)
    doublings = min(state.delays, LONGEST_DELAY_SECONDS // FIRST_DELAY_SECONDS)
    delay = min(FIRST_DELAY_SECONDS * 2**doublings, LONGEST_DELAY_SECONDS)
    return AfterFailure(failures, state.delays + 1, delay)
