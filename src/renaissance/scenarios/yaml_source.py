"""Read a scenario YAML file safely, keeping the line of every key for error messages.

Parsing uses PyYAML's ``SafeLoader`` only (the same loader as ``yaml.safe_load``): no
Python objects are ever constructed from the file. The node tree is walked once to build
plain Python values and a map from key paths (``policies[0].budget``) to 1-based lines,
and to refuse what ``safe_load`` would silently accept: a key given twice in a mapping.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from renaissance.scenarios.errors import ScenarioError


def join(path: str, key) -> str:
    """Key path of ``key`` inside ``path``: ``a.b`` for mapping keys, ``a[0]`` for items."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    text = str(key)
    if any(c in text for c in ".[]") or " " in text:
        text = f"'{text}'" if path else text
    return f"{path}.{text}" if path else text


def _walk(node, path: str, file: Path, lines: dict):
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, file)
            if isinstance(key, (dict, list)):
                raise ScenarioError(
                    file,
                    path,
                    "a key must be a plain name",
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
            child = join(path, key)
            if key in out:
                raise ScenarioError(
                    file,
                    child,
                    "this key is given twice in the same mapping",
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
            lines[child] = key_node.start_mark.line + 1
            out[key] = _walk(value_node, child, file, lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, join(path, i), file, lines) for i, item in enumerate(node.value)]
    return _scalar(node, file)


def _scalar(node, file: Path):
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as error:
        mark = node.start_mark
        raise ScenarioError(
            file, "", f"unreadable value: {error}", mark.line + 1, mark.column + 1
        ) from None
    finally:
        loader.dispose()


def read_yaml(path: Path) -> tuple[object, dict[str, int]]:
    """Parse ``path``; return ``(data, lines)`` where ``lines`` maps key paths to lines.

    Raises
    ------
    ScenarioError
        The file is missing or unreadable, or its YAML is malformed (with line and column).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(path, "", "file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(path, "", f"cannot read the file: {error}") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = " ".join(str(p) for p in (error.context, error.problem) if p)
        if (
            error.context_mark is not None
            and error.problem_mark is not None
            and error.context_mark.line != error.problem_mark.line
        ):
            opened = error.context_mark
            problem += (
                f" (the construct opened at line {opened.line + 1}, column {opened.column + 1})"
            )
        raise ScenarioError(
            path,
            "",
            f"malformed YAML: {problem}",
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as error:
        raise ScenarioError(path, "", f"malformed YAML: {error}") from None
    if node is None:
        return {}, {}
    lines: dict[str, int] = {}
    return _walk(node, "", path, lines), lines
