"""On-disk cache of parsed models, so repeated CLI starts skip PySD's parser (~1.5 s).

The cache holds PySD's ``AbstractModel`` (plain dataclasses) pickled under the sha256 of
the ``.mdl`` bytes and the PySD version; files the model reads (``GET DIRECT …``) are
read again at every load, so editing a CSV never needs the cache cleared. The cache
lives in ``$RENAISSANCE_CACHE_DIR``, else ``$XDG_CACHE_HOME/renaissance``, else
``~/.cache/renaissance``; setting ``RENAISSANCE_CACHE_DIR`` to an empty string turns it
off. Like ``__pycache__``, it is trusted as the user's own files.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path


def cache_directory() -> Path | None:
    configured = os.environ.get("RENAISSANCE_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "renaissance"


def _key(text: bytes) -> str:
    import pysd

    return hashlib.sha256(text + b"\0pysd " + pysd.__version__.encode()).hexdigest()


def load(model_file: Path, parse):
    """``parse(model_file)``, or its cached result for the same file content."""
    directory = cache_directory()
    if directory is None:
        return parse(model_file)
    path = directory / f"{_key(Path(model_file).read_bytes())}.pickle"
    try:
        with open(path, "rb") as handle:
            abstract = pickle.load(handle)
        abstract.original_path = Path(model_file).resolve()
        for section in abstract.sections:
            section.path = Path(model_file).resolve()
        return abstract
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    abstract = parse(model_file)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(abstract, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:  # a read-only or full cache never stops a run
        pass
    return abstract
