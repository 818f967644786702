"""Read a scenario YAML file safely, keeping the line of every key for error messages.

Parsing uses PyYAML's ``SafeLoader`` only (the same loader as ``yaml.safe_load``): no
Python objects are ever constructed from the file. The node tree is walked once to build
plain Python values and a map from key paths (``policies[0].budget``) to 1-based lines,
and to refuse what ``safe_load`` would silently accept: a key given twice in a mapping
(also when the two differ only by surrounding spaces).

Bounded before anything is built (:mod:`renaissance.limits`): the file's size, the depth
of nesting (checked on the parser's event stream, which is not recursive, before the
recursive composer sees the file), and the number of values once aliases are expanded
(counted while expanding, so an alias bomb stops after :data:`~renaissance.limits.
MAX_YAML_NODES` values). An alias that contains itself is refused by name.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from renaissance.limits import MAX_YAML_BYTES, MAX_YAML_DEPTH, MAX_YAML_NODES
from renaissance.scenarios.errors import ScenarioError


def join(path: str, key) -> str:
    """Key path of ``key`` inside ``path``: ``a.b`` for mapping keys, ``a[0]`` for items."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    text = str(key)
    if any(c in text for c in ".[]") or " " in text:
        text = f"'{text}'" if path else text
    return f"{path}.{text}" if path else text


class _Walk:
    """One expansion of a composed node tree into plain values, with its budget."""

    def __init__(self, file: Path):
        self.file = file
        self.lines: dict[str, int] = {}
        self.count = 0
        self.active: set[int] = set()  # ids of the collections being expanded
        self.scalars: dict[int, object] = {}  # id of a scalar node -> its value
        self.loader = yaml.SafeLoader("")

    def error(self, node, path: str, message: str) -> ScenarioError:
        mark = node.start_mark
        return ScenarioError(self.file, path, message, mark.line + 1, mark.column + 1)

    def value(self, node, path: str):
        self.count += 1
        if self.count > MAX_YAML_NODES:
            raise self.error(
                node,
                path,
                f"the file holds more than {MAX_YAML_NODES:,} values once its aliases (*name) "
                "are expanded; a scenario needs far fewer (is an alias repeated inside "
                "another alias?)",
            )
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            if id(node) in self.active:
                raise self.error(
                    node, path, "this alias refers to a value that contains it (a loop)"
                )
            self.active.add(id(node))
            try:
                if isinstance(node, yaml.MappingNode):
                    return self.mapping(node, path)
                return [self.value(item, join(path, i)) for i, item in enumerate(node.value)]
            finally:
                self.active.discard(id(node))
        return self.scalar(node, path)

    def mapping(self, node, path: str) -> dict:
        out: dict = {}
        stripped: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error(key_node, path, "a key must be a plain name")
            key = self.scalar(key_node, path)
            child = join(path, key)
            normal = key.strip() if isinstance(key, str) else key
            if key in out or normal in stripped:
                first = stripped.get(normal, key)
                same = "" if first == key else f" (first as {first!r}, then as {key!r})"
                raise ScenarioError(
                    self.file,
                    child,
                    f"this key is given twice in the same mapping{same}",
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
            stripped[normal] = key
            self.lines[child] = key_node.start_mark.line + 1
            out[key] = self.value(value_node, child)
        return out

    def scalar(self, node, path: str):
        if id(node) in self.scalars:  # an alias repeats the same node: construct it once
            return self.scalars[id(node)]
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as error:
            raise self.error(node, path, f"unreadable value: {error}") from None
        except (ValueError, OverflowError):
            # Python refuses to convert integers of more than 4,300 digits
            raise self.error(
                node, path, f"unreadable value: {node.value[:20]!r}… has too many digits"
            ) from None
        if isinstance(value, (dict, list)):  # a tag such as !!map on a scalar
            raise self.error(node, path, "unreadable value: a collection where a value belongs")
        self.scalars[id(node)] = value
        return value


def _check_shape(text: str, path: Path) -> None:
    """Refuse nesting deeper than :data:`MAX_YAML_DEPTH` before composing (recursive).

    Uses libyaml's parser when PyYAML has it (the pure-Python scanner looks ahead over a
    whole flow collection, slow for 10,000 nested brackets); a syntax error found here
    is left to the composer below, so that messages are the same with or without libyaml.
    """
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        _check_depth(yaml.parse(text, Loader=loader), path)
    except yaml.YAMLError:
        return


def _check_depth(events, path: Path) -> None:
    depth = 0
    for event in events:
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                mark = event.start_mark
                raise ScenarioError(
                    path,
                    "",
                    f"mappings and lists are nested more than {MAX_YAML_DEPTH} deep; a "
                    "scenario needs at most 5 levels",
                    mark.line + 1,
                    mark.column + 1,
                )
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def read_yaml(path: Path) -> tuple[object, dict[str, int]]:
    """Parse ``path``; return ``(data, lines)`` where ``lines`` maps key paths to lines.

    Raises
    ------
    ScenarioError
        The file is missing or unreadable, or its YAML is malformed (with line and column).
    """
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_YAML_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError(path, "", "file not found") from None
    except OSError as error:
        raise ScenarioError(path, "", f"cannot read the file: {error.strerror}") from None
    if len(raw) > MAX_YAML_BYTES:
        raise ScenarioError(
            path,
            "",
            f"the file is larger than {MAX_YAML_BYTES:,} bytes; a scenario file is a few kB "
            "(put long series in fewer, coarser points)",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ScenarioError(
            path, "", f"byte {error.start} is not UTF-8 text (a scenario file is UTF-8 text)", line
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ScenarioError(path, "", "the file holds a NUL character; it is not text", line)
    try:
        _check_shape(text, path)
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
    walk = _Walk(path)
    try:
        return walk.value(node, ""), walk.lines
    finally:
        walk.loader.dispose()
