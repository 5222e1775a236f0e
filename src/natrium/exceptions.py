"""Errors raised by natrium.

Every error is a subclass of :class:`NatriumError` and of the matching built-in
exception, so ``except ValueError`` keeps working for callers who do not know
natrium (the pattern of pint and python-control).
"""


class NatriumError(Exception):
    """Base class for every error raised by natrium."""


class ParameterError(NatriumError, ValueError):
    """A parameter lies outside its physical or validated range."""


class UnitError(NatriumError, ValueError):
    """A quantity was given with a unit of the wrong dimension, or none."""


class OptionError(NatriumError, KeyError):
    """An unknown material, format, model or option name was requested."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class DataFileError(NatriumError, ValueError):
    """A data or design file is malformed or misses a required entry."""
