"""Names given in input files that later name files, or model elements: what is allowed.

A scenario's ``name`` becomes a file name (``renaissance run`` writes ``NAME.nc``); a
district or region name becomes a subscript element of the model. Neither may steer a
path (``../../escaped``, ``a/b``), hide a character (NUL, control characters) or break
the quoting of a generated file. :func:`name_problem` says what is wrong with a name,
:func:`file_in` builds the path of a file named after one inside a folder and refuses
anything that would leave it.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

MAX_NAME_LENGTH = 100
"""Longest name (characters); file systems allow 255 bytes and a name gains a suffix."""
_FORBIDDEN = {"/": "a slash", "\\": "a backslash", '"': "a double quote"}


def name_problem(name: str) -> str | None:
    """What makes ``name`` unusable as a scenario, district or region name, or None.

    Allowed: 1-100 printable characters, not starting with a dot or a space, not ending
    with a space, without slash, backslash, double quote or control characters.
    """
    if not name:
        return "a name cannot be empty"
    if len(name) > MAX_NAME_LENGTH:
        return f"a name has at most {MAX_NAME_LENGTH} characters (this one has {len(name)})"
    for character in name:
        if character in _FORBIDDEN:
            return f"a name cannot contain {_FORBIDDEN[character]} ({character!r})"
        if unicodedata.category(character) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            return (
                f"a name cannot contain the control or invisible character U+{ord(character):04X}"
            )
    if name.startswith("."):
        return "a name cannot start with a dot (it would be a hidden file or a folder step)"
    if name != name.strip():
        return "a name cannot start or end with a space"
    return None


def file_in(folder: Path, name: str, suffix: str) -> Path:
    """``folder / (name + suffix)``, refused if ``name`` is not a safe name.

    Raises
    ------
    ValueError
        ``name`` fails :func:`name_problem`, or the path would leave ``folder``.
    """
    problem = name_problem(name)
    if problem is not None:
        raise ValueError(f"name {name!r} cannot name a file: {problem}")
    path = Path(folder) / f"{name}{suffix}"
    if path.parent != Path(folder) or path.resolve().parent != Path(folder).resolve():
        raise ValueError(f"name {name!r} would write outside {folder}")
    return path
