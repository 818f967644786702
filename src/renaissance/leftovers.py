"""What killed runs leave behind, found and removed by a later run.

A run writes into a temporary sibling of its output folder (``.NAME.PID.XXXX.partial``)
and compiles a non-shipped roster in a temporary folder
(``renaissance-roster-PID-XXXX``); both are removed when the run ends, even on Ctrl-C
or SIGTERM. SIGKILL, a power cut or an out-of-memory kill leave them. Each name carries
the process id of its run, so a later run removes those whose process no longer exists
(never those of a run still going on beside it). Folders in the older naming, without a
process id, are removed once they are a day old.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

ROSTER_PREFIX = "renaissance-roster-"
"""Prefix of the temporary folders holding a model copied beside a roster."""
LEGACY_AGE_SECONDS = 24 * 3600
"""Age after which a leftover without a process id is taken as abandoned."""


def scratch_prefix(directory: Path) -> str:
    """Prefix of the temporary folders of ``directory`` made by this process."""
    return f".{Path(directory).name}.{os.getpid()}."


def roster_prefix() -> str:
    """Prefix of the temporary roster folders made by this process."""
    return f"{ROSTER_PREFIX}{os.getpid()}-"


def process_exists(pid: int) -> bool:
    """Whether a process with this id exists (it may belong to another user)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _abandoned(path: Path, pid: int | None) -> bool:
    if pid is not None:
        return pid != os.getpid() and not process_exists(pid)
    try:
        return time.time() - path.lstat().st_mtime > LEGACY_AGE_SECONDS
    except OSError:
        return False


def remove_output_leftovers(directory: Path) -> list[Path]:
    """Remove abandoned ``.NAME.*.partial`` and ``.NAME.*.old`` siblings of ``directory``.

    Returns
    -------
    list of pathlib.Path
        The folders removed.
    """
    directory = Path(directory)
    parent = directory.parent
    pattern = re.compile(rf"^\.{re.escape(directory.name)}\.(?:(\d+)\.)?[^/]*\.(?:partial|old)$")
    return _remove(parent, pattern)


def remove_roster_leftovers(folder: Path | None = None) -> list[Path]:
    """Remove abandoned temporary roster folders in ``folder`` (the temporary folder)."""
    folder = Path(folder or tempfile.gettempdir())
    pattern = re.compile(rf"^{re.escape(ROSTER_PREFIX)}(?:(\d+)-)?[^/]*$")
    return _remove(folder, pattern)


def _remove(folder: Path, pattern) -> list[Path]:
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = pattern.match(entry.name)
        if match is None or not entry.is_dir(follow_symlinks=False):
            continue
        pid = int(match.group(1)) if match.group(1) else None
        path = Path(entry.path)
        if _abandoned(path, pid):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed
