"""Errors raised by the fast engine."""

from renaissance.input_errors import InputError


class UnsupportedFeatureError(ValueError):
    """The model uses a Vensim feature the fast engine does not implement.

    The message names the feature and, when known, the variable using it. ``engine="auto"``
    catches this error and falls back to PySD.
    """


class ModelStructureError(ValueError):
    """The model is not well formed (algebraic loop, circular initialisation, bad dims)."""


class ModelFileError(InputError):
    """A model file cannot be read: too large, not text, malformed, nested too deep.

    The message names the file and, when known, the line and column in the file as
    written (not in PySD's cleaned copy of it).
    """


class WorkLimitError(InputError):
    """A run would take more steps or memory than allowed (:mod:`renaissance.limits`).

    Refused before anything is allocated; the message says how to ask for less or how to
    raise the limit (``--max-steps``, ``--memory-limit``).
    """
