"""Values of a scenario file that remember where they were written.

A :class:`Node` wraps every value read from a file with the file, its key path and its
line, so that an error found after ``extends`` has merged several files still points at
the file and line that said it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from renaissance.scenarios.errors import ScenarioError
from renaissance.scenarios.yaml_source import join


@dataclass(frozen=True)
class Node:
    """A value from a scenario file: scalar, ``dict[str, Node]`` or ``list[Node]``."""

    value: object
    file: Path
    path: str
    line: int | None

    def error(self, message: str, key: str | None = None) -> ScenarioError:
        """A :class:`ScenarioError` located at this node (or at its child ``key``)."""
        return ScenarioError(
            self.file, join(self.path, key) if key is not None else self.path, message, self.line
        )

    def plain(self):
        """The value with every Node unwrapped (plain dicts, lists, scalars)."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


def wrap(value, file: Path, lines: dict, path: str = "") -> Node:
    """Wrap plain YAML data read from ``file`` (``lines`` from :func:`read_yaml`)."""
    if isinstance(value, dict):
        inner = {k: wrap(v, file, lines, join(path, k)) for k, v in value.items()}
    elif isinstance(value, list):
        inner = [wrap(v, file, lines, join(path, i)) for i, v in enumerate(value)]
    else:
        inner = value
    return Node(inner, file, path, lines.get(path))
