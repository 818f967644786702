"""Result folders written all at once: nothing half-written, nothing overwritten by surprise.

:func:`output_directory` checks the target before any work starts (refuses an existing,
non-empty folder unless ``overwrite``; refuses a parent that cannot be written), hands out
a temporary sibling folder to write into (``.NAME.PID.XXXX.partial``), and renames it
into place only when everything in it is complete. An interrupted or failed run leaves
the old results (if any) as they were and no temporary folder behind; the folders of a
run killed outright (SIGKILL) are removed by the next run into the same place
(:mod:`renaissance.leftovers`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from renaissance.input_errors import InputError
from renaissance.leftovers import remove_output_leftovers, scratch_prefix


def netcdf_safe(dataset):
    """``dataset`` with '/' in variable names replaced by the division slash (U+2215).

    NetCDF names cannot hold '/', and the model has names such as ``Output/Worker``.
    """
    renames = {n: n.replace("/", "\u2215") for n in dataset.variables if "/" in str(n)}
    return dataset.rename(renames) if renames else dataset


class OutputError(InputError):
    """The output folder cannot be used (exists, or its parent is not writable).

    The message names the folder; ``file`` is ``-o`` (the flag that named it).
    """

    def __init__(self, message: str):
        ValueError.__init__(self, message)
        self.file, self.key, self.message, self.line, self.column = "-o", "", message, None, None


def check_output_directory(directory: Path, overwrite: bool) -> Path:
    """Refuse an output folder before any work is done; return its absolute path.

    Raises
    ------
    OutputError
        ``directory`` is a file, exists with content and ``overwrite`` is false, is a
        symbolic link that loops or points nowhere, or its parent folder cannot be
        created or written.
    """
    directory = Path(directory).absolute()
    if "\x00" in str(directory):
        raise OutputError(f"output {str(directory)!r}: a folder name cannot contain NUL")
    if directory.is_symlink():  # resolved once; the results replace its target, not it
        try:
            directory = directory.resolve(strict=True)
        except (OSError, RuntimeError):  # RuntimeError: a loop (Python 3.11)
            raise OutputError(
                f"output {directory} is a symbolic link that loops or points nowhere"
            ) from None
    if directory.exists() and not directory.is_dir():
        raise OutputError(f"output {directory} exists and is not a folder")
    if directory.is_dir() and any(directory.iterdir()) and not overwrite:
        raise OutputError(
            f"output folder {directory} already exists and is not empty; pass --overwrite to "
            "replace it, or choose another folder"
        )
    parent = directory.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create the parent folder {parent}: {error.strerror}") from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"output folder {directory}: its parent {parent} is not writable")
    return directory


@contextlib.contextmanager
def output_directory(directory: Path, overwrite: bool = False):
    """Context manager yielding a temporary folder that becomes ``directory`` on success.

    Parameters
    ----------
    directory : pathlib.Path
        Final location of the results.
    overwrite : bool
        Replace an existing non-empty ``directory`` (only once the new one is complete;
        if the swap itself fails, the old folder is put back).
    """
    directory = check_output_directory(directory, overwrite)
    remove_output_leftovers(directory)
    scratch = Path(
        tempfile.mkdtemp(prefix=scratch_prefix(directory), suffix=".partial", dir=directory.parent)
    )
    scratch.chmod(0o777 & ~_umask())  # mkdtemp makes it private; results are not
    try:
        yield scratch
        _replace(scratch, directory)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _replace(scratch: Path, directory: Path) -> None:
    """Move ``scratch`` to ``directory``; an old ``directory`` is removed only after."""
    if not directory.exists():
        os.replace(scratch, directory)
        return
    old = directory.with_name(f"{scratch_prefix(directory)}replaced.old")
    os.replace(directory, old)
    try:
        os.replace(scratch, directory)
    except BaseException:
        os.replace(old, directory)
        raise
    shutil.rmtree(old, ignore_errors=True)
