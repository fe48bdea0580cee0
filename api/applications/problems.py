"""The problems filing and processing answer with (texts in api/messages/applications.toml).

A refused move raises a ``MoveRefused``: offline sync tells the kinds apart by class —
``VersionConflict``, ``TransitionNotAllowed``, ``MoveForbidden`` and ``RequirementsMissing``
(whose subclasses name what is missing) — while HTTP clients see the same slugs as ever.
"""

from __future__ import annotations

from api.core.problems import Forbidden, Problem, ValidationFailed


class MoveRefused(Problem):
    """A move the state machine, the caller's role or the move's preconditions refuse."""


class VersionConflict(MoveRefused):
    """The caller saw an older version; ``current_version`` is the one to reload."""

    status = 409
    slug = "version-conflict"
    entry = "applications.problems.version-conflict"


class TransitionNotAllowed(MoveRefused):
    """No such move from the current status; carries ``current_status``, ``action`` and
    ``allowed_actions``."""

    status = 409
    slug = "transition-not-allowed"
    entry = "applications.problems.transition-not-allowed"


class MoveForbidden(MoveRefused, Forbidden):
    """The move exists but is not the caller's to take (a citizen receiving, say)."""


class RequirementsMissing(MoveRefused):
    """What the move needs first is missing; the subclass says what."""


class MoveDetailsMissing(RequirementsMissing, ValidationFailed):
    """The command lacks what the move needs from the caller (a note, the missing documents)."""


class ApplicationIncomplete(RequirementsMissing):
    """Required fields or documents are missing; ``errors`` names each."""

    status = 422
    slug = "application-incomplete"
    entry = "applications.problems.application-incomplete"


class ResultDocumentMissing(RequirementsMissing):
    status = 422
    slug = "result-document-missing"
    entry = "applications.problems.result-document-missing"


class ApplicationNotEditable(Problem):
    """The form is not editable in ``current_status``."""

    status = 409
    slug = "application-not-editable"
    entry = "applications.problems.application-not-editable"


class IdempotencyKeyReused(Problem):
    """The key made ``application_id`` from another body."""

    status = 422
    slug = "idempotency-key-reused"
    entry = "applications.problems.idempotency-key-reused"


class ProfileIncomplete(Problem):
    """The citizen's profile lacks the fields named in ``missing`` (and in ``errors``)."""

    status = 422
    slug = "profile-incomplete"
    entry = "applications.problems.profile-incomplete"
