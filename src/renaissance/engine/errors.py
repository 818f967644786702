"""Errors raised by the fast engine."""


class UnsupportedFeatureError(ValueError):
    """The model uses a Vensim feature the fast engine does not implement.

    The message names the feature and, when known, the variable using it. ``engine="auto"``
    catches this error and falls back to PySD.
    """


class ModelStructureError(ValueError):
    """The model is not well formed (algebraic loop, circular initialisation, bad dims)."""
