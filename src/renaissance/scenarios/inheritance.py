"""``extends``: read a scenario file and the chain of files it extends, merged.

Merge rules (the child is the file that says ``extends``):

- ``name``, ``description``, ``integrator``, ``roster``, ``seed``,
  ``allow_out_of_range``: the child's value replaces the parent's.
- ``horizon``, ``parameters``, ``exogenous``: merged key by key, the child's keys win.
- ``policies``: merged by instrument and scale. A child entry for a pair the parent has
  changes only the fields it gives; a new pair is added. (To drop a parent's policy, give
  it ``budget: 0``.) A ``scale`` list is one entry per scale.
- ``shocks``: merged by ``variable`` (one shock per kind).
- ``all_policies``: fields applied to every policy known at that file (its own and the
  inherited ones), e.g. ``capture_share: 0.4`` for "the same mix, captured".

A file may not extend itself through any chain: the cycle is refused, naming the files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from renaissance.paths import SCENARIO_DIRECTORY
from renaissance.scenarios import checks
from renaissance.scenarios.errors import ScenarioError
from renaissance.scenarios.nodes import Node, wrap
from renaissance.scenarios.yaml_source import read_yaml

TOP_KEYS = (
    "name",
    "description",
    "extends",
    "horizon",
    "integrator",
    "roster",
    "seed",
    "allow_out_of_range",
    "parameters",
    "exogenous",
    "shocks",
    "policies",
    "all_policies",
)
POLICY_KEYS = (
    "instrument",
    "scale",
    "targets",
    "budget",
    "start",
    "end",
    "ramp",
    "capture_share",
    "allocation",
    "stop_and_go",
)
SHOCK_KEYS = ("variable", "start", "duration", "size", "targets")
_MERGED_MAPPINGS = ("horizon", "parameters", "exogenous")


def resolve(reference: str | Path, relative_to: Path | None = None) -> Path:
    """The file a scenario reference names.

    A reference is a path to a ``.yaml``/``.yml`` file (relative to ``relative_to`` when
    given and the file is there, else to the working directory) or the name of a scenario
    in the library (``scenarios/NAME.yaml``), looked up beside ``relative_to`` first.
    """
    reference = str(reference)
    path = Path(reference)
    folders = [relative_to] if relative_to is not None else []
    if path.suffix in (".yaml", ".yml") or "/" in reference or "\\" in reference:
        candidates = [f / path for f in folders if not path.is_absolute()] + [path]
    else:
        candidates = [f / f"{reference}.yaml" for f in folders]
        candidates += [path, SCENARIO_DIRECTORY / f"{reference}.yaml"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    return candidates[-1]


def library_names() -> list[str]:
    """Names of the scenarios in the library folder, sorted."""
    return sorted(p.stem for p in SCENARIO_DIRECTORY.glob("*.yaml"))


def read_chain(path: Path, chain: tuple[Path, ...] = ()) -> tuple[Node, list]:
    """Read ``path`` and everything it extends; return the merged root node and the files.

    Returns
    -------
    (Node, list of (str, str))
        The merged document and ``(file, sha256)`` of each file, child first.
    """
    path = Path(path).resolve()
    if not path.is_file():
        raise ScenarioError(path, "", "file not found" + _library_hint(path))
    data, lines = read_yaml(path)
    if data == {} and not lines:
        raise ScenarioError(
            path, "", "the file is empty; a scenario needs at least name and description"
        )
    root = wrap(data, path, lines)
    top = checks.mapping(root, TOP_KEYS)
    files = [(str(path), hashlib.sha256(path.read_bytes()).hexdigest())]
    own = Node({k: v for k, v in top.items()}, path, "", root.line)
    if "policies" in top:
        own.value["policies"] = _expand_scales(top["policies"])
    if "extends" in top:
        reference = checks.text(top["extends"])
        parent_path = resolve(reference, path.parent)
        if not parent_path.is_file():
            raise top["extends"].error(
                f"extends {reference!r}, but no such scenario: looked for {parent_path}"
                f"{_library_hint(Path(reference))}"
            )
        if parent_path.resolve() in (*chain, path):
            cycle = " -> ".join(p.name for p in (*chain, path, parent_path.resolve()))
            raise top["extends"].error(f"extends forms a cycle: {cycle}")
        parent, parent_files = read_chain(parent_path, (*chain, path))
        merged = _merge(parent, own)
        files += parent_files
    else:
        merged = own
    if "all_policies" in top:
        merged = _apply_to_all_policies(merged, top["all_policies"])
    return merged, files


def _library_hint(path: Path) -> str:
    names = library_names()
    hint = checks.suggestion(path.stem, names)
    return f"{hint} (library scenarios: {', '.join(names)})" if names else ""


def _expand_scales(policies: Node) -> Node:
    """One entry per scale for entries whose ``scale`` is a list."""
    entries = []
    for entry in checks.sequence(policies):
        fields = checks.mapping(entry, POLICY_KEYS, required=("instrument", "scale"))
        scale = fields["scale"]
        if isinstance(scale.value, list):
            if not scale.value:
                raise scale.error("the list of scales is empty")
            for item in scale.value:
                entries.append(Node({**fields, "scale": item}, entry.file, entry.path, entry.line))
        else:
            entries.append(entry)
    return Node(entries, policies.file, policies.path, policies.line)


def _policy_key(entry: Node) -> tuple:
    fields = entry.value
    return (str(fields["instrument"].value).strip(), str(fields["scale"].value).strip().lower())


def _shock_key(entry: Node):
    fields = checks.mapping(entry, SHOCK_KEYS, required=("variable",))
    return str(fields["variable"].value).strip().lower()


def _merge_entries(parent: Node, child: Node, key) -> Node:
    merged: dict = {}
    for entry in checks.sequence(parent):
        merged[key(entry)] = entry
    for entry in checks.sequence(child):
        k = key(entry)
        if k in merged:
            base = merged[k]
            entry = Node({**base.value, **entry.value}, entry.file, entry.path, entry.line)
        merged[k] = entry
    return Node(list(merged.values()), child.file, child.path, child.line)


def _merge(parent: Node, child: Node) -> Node:
    out = {k: v for k, v in parent.value.items() if k not in ("extends", "all_policies")}
    for key, value in child.value.items():
        if key in ("extends", "all_policies"):
            continue
        if (
            key in out
            and key in _MERGED_MAPPINGS
            and isinstance(out[key].value, dict)
            and isinstance(value.value, dict)
        ):
            value = Node({**out[key].value, **value.value}, value.file, value.path, value.line)
        elif key in out and key == "policies":
            value = _merge_entries(out[key], value, _policy_key)
        elif key in out and key == "shocks":
            value = _merge_entries(out[key], value, _shock_key)
        out[key] = value
    return Node(out, child.file, child.path, child.line)


def _apply_to_all_policies(root: Node, fields: Node) -> Node:
    allowed = tuple(k for k in POLICY_KEYS if k not in ("instrument", "scale"))
    changes = checks.mapping(fields, allowed)
    if "policies" not in root.value:
        raise fields.error("all_policies is given but there are no policies to apply it to")
    policies = root.value["policies"]
    entries = [
        Node({**entry.value, **changes}, entry.file, entry.path, entry.line)
        for entry in checks.sequence(policies)
    ]
    return Node(
        {**root.value, "policies": Node(entries, policies.file, policies.path, policies.line)},
        root.file,
        root.path,
        root.line,
    )
