"""Typed errors and exit statuses; `cli` turns each error into one line on stderr and its status."""

from enum import IntEnum
from typing import Any


class ExitStatus(IntEnum):
    """What the process exits with (SPEC section 5)."""

    OK = 0
    ERROR = 1
    USAGE = 2
    INTERRUPTED = 130


class NatoclaimsError(Exception):
    """An error the user can act on: one clear line, exit 1.

    Its message speaks of the library function's arguments (`measures`, `force=True`). When a caller
    knows those arguments by other names (the command line's options), `about` says which mistake it
    is (a key such as 'measures-count') and `facts` holds the values the message was worded from, so
    that the caller can word it its own way."""

    exit_status = ExitStatus.ERROR

    def __init__(self, *args: object, about: str | None = None, **facts: Any) -> None:
        super().__init__(*args)
        self.about = about
        self.facts = facts


class InvalidInput(NatoclaimsError):
    """A value given by the user (option, argument, imported record) is not valid."""


class NotFound(NatoclaimsError):
    """An id or name matches nothing, or more than one thing."""


class StoreError(NatoclaimsError):
    """The store cannot be read or written."""


class FetchError(NatoclaimsError):
    """A page that could not be fetched (network, status, size, type)."""


class UsageError(NatoclaimsError):
    """The command line itself is wrong: exit 2."""

    exit_status = ExitStatus.USAGE


class DamagedArchive(StoreError):
    """An archived copy that is gone, unreadable, or no longer the bytes its digest names."""

    def __init__(self, digest: str, reason: str) -> None:
        super().__init__(f"archived copy {digest} is damaged: {reason}")
        self.digest = digest
        self.reason = reason
