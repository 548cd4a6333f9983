"""natoclaims: a command-line tracker for who said what about NATO."""

__version__ = "0.1.0"
