"""Typed errors and exit statuses; `cli` turns each error into one line on stderr and its status."""

from enum import IntEnum


class ExitStatus(IntEnum):
    """What the process exits with (SPEC section 5)."""

    OK = 0
    ERROR = 1
    USAGE = 2
    INTERRUPTED = 130


class NatoclaimsError(Exception):
    """An error the user can act on: one clear line, exit 1."""

    exit_status = ExitStatus.ERROR


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
