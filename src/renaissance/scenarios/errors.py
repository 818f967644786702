"""The one error a scenario file can raise: it names the file, the key path and the line."""

from __future__ import annotations

from renaissance.input_errors import InputError


class ScenarioError(InputError):
    """A scenario file is missing, malformed or asks for something the model cannot do.

    Parameters
    ----------
    file : str or pathlib.Path
        The scenario file (or the folder/roster) the problem is in.
    key : str
        Key path inside the file, e.g. ``policies[2].budget``; empty for the whole file.
    message : str
        What is wrong and what is allowed.
    line, column : int, optional
        1-based position of the key in the file, when known.
    """
