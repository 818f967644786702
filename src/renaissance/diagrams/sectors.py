"""Sectors of a Vensim model: the groups of its ``.mdl`` file.

Vensim writes a group as an entry of its own,

::

    ********************************************************
        .District technical capital
    ********************************************************~
        comment of the group
        |

and every equation after it, up to the next group, belongs to it. PySD's parser reads
these entries (grammar rule ``section``) and drops them, so the grouping is recovered
here from the file text, entry by entry, in file order.
"""

from __future__ import annotations

import re
from pathlib import Path

from renaissance.engine.names import normalize

SKETCH_MARKER = "\\\\\\---///"
"""Start of the sketch section (``\\\\\\---/// Sketch information``)."""
GROUP = re.compile(r"^\s*\*{5,}\s*\.(?P<name>[^\n]*?)\s*\*{5,}", re.DOTALL)
NAME = re.compile(r'^\s*(?P<name>"(?:\\"|[^"])*"|[^\[\(=:~"]+)')
DEFAULT_SECTOR = "Model"
"""Sector of the variables written before the first group (or of a model without groups)."""


def equations_text(path: Path) -> str:
    """The text of ``path`` before its sketch section (equations, groups, macros)."""
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    text = text.split(SKETCH_MARKER, 1)[0]
    return re.sub(r"^\s*\{[^}\n]*\}", "", text)  # the {UTF-8} header


def read_sectors(path: Path) -> dict[str, str]:
    """Sector (group name) of every equation, keyed by the normalised variable name.

    Parameters
    ----------
    path : pathlib.Path
        A Vensim ``.mdl`` file.

    Returns
    -------
    dict
        Normalised name (PySD's: lower case, spaces as ``_``) -> group name as written
        (``"District technical capital"``), or :data:`DEFAULT_SECTOR` before any group.
        Subscript ranges and macro bodies are included under their names; callers keep
        the names they know.
    """
    sectors: dict[str, str] = {}
    current = DEFAULT_SECTOR
    in_macro = False
    for entry in _entries(equations_text(path)):
        group = GROUP.match(entry)
        if group:
            current = group.group("name").strip() or DEFAULT_SECTOR
            continue
        if ":MACRO:" in entry:
            in_macro = True
        if ":END OF MACRO:" in entry:
            in_macro = False
            continue
        if in_macro:
            continue
        name = NAME.match(entry.split("~", 1)[0])
        if name:
            key = normalize(name.group("name").strip())
            if key and key not in sectors:
                sectors[key] = current
    return sectors


def _entries(text: str):
    """Entries of an equations text, split at ``|`` outside quoted names."""
    start = 0
    quoted = False
    for i, char in enumerate(text):
        if char == '"' and (i == 0 or text[i - 1] != "\\"):
            quoted = not quoted
        elif char == "|" and not quoted:
            yield text[start:i]
            start = i + 1
    yield text[start:]
