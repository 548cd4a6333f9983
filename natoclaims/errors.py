"""Typed errors; `cli` turns each into one line on stderr and an exit code."""


class NatoclaimsError(Exception):
    """An error the user can act on: one clear line, exit 1."""

    exit_code = 1


class InvalidInput(NatoclaimsError):
    """A value given by the user (option, argument, imported record) is not valid."""


class NotFound(NatoclaimsError):
    """An id or name matches nothing, or more than one thing."""


class StoreError(NatoclaimsError):
    """The store cannot be read or written."""


class UsageError(NatoclaimsError):
    """The command line itself is wrong: exit 2."""

    exit_code = 2
