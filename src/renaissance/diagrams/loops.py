"""Feedback loops of a model: the loops its comments name, or those found in its graph.

A model may name its loops in the comments of the variables on them (``Part of loops
R1, R3 and B7``; the `.mdl` of this project does, and docs/model.md §4 gives each
chain). A named loop is recovered from the equations as the shortest closed chain of
causal links through as many of its tagged variables as can lie on one loop, with the
polarity its letter says (R: an even number of negative links, B: an odd number). The
result says which tagged variables it passes and whether its polarity agrees with its
name. A model that names no loops gets its shortest loops, named by their polarity.
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from dataclasses import dataclass

from renaissance.diagrams.sectors import equations_text
from renaissance.diagrams.structure import ModelStructure

LOOP_ID = re.compile(r"\b([RB]\d{1,2})[a-c]?\b")
MENTIONS_LOOPS = re.compile(r"\bloops?\b", re.IGNORECASE)
LOOP_NAME = re.compile(r"\b([RB]\d{1,2})\s+\(?([A-Za-z][^;.()]*)")
MOST_TAGS = 6
"""At most this many tagged variables of one loop are threaded (in file order)."""
MOST_FOUND = 24
MOST_LENGTH = 14


@dataclass(frozen=True)
class Loop:
    """One feedback loop.

    Attributes
    ----------
    identifier : str
        ``R1``, ``B7``, ... as the model names it (or as found: by polarity, shortest
        first).
    name : str
        Its name where the model gives one, else "".
    variables : tuple of str
        The closed chain, each variable once, in causal order (the last links to the
        first).
    polarity : str
        ``"R"`` (reinforcing), ``"B"`` (balancing) or ``"?"`` (a link of undetermined
        sign at the baseline).
    tagged : tuple of str
        Variables whose comment names the loop.
    named : bool
        True when the model names the loop.
    """

    identifier: str
    name: str
    variables: tuple[str, ...]
    polarity: str
    tagged: tuple[str, ...] = ()
    named: bool = False

    @property
    def agrees(self) -> bool:
        """Whether the polarity computed from the links is the one the name says."""
        return not self.named or self.polarity == self.identifier[0]

    def links(self) -> list[tuple[str, str]]:
        chain = self.variables
        return list(zip(chain, chain[1:] + chain[:1], strict=True))


def loop_tags(structure: ModelStructure) -> dict[str, list[str]]:
    """Loop id -> variables whose comment names it (file order)."""
    tags: dict[str, list[str]] = {}
    for key, variable in structure.variables.items():
        if not MENTIONS_LOOPS.search(variable.documentation):
            continue
        for identifier in dict.fromkeys(LOOP_ID.findall(variable.documentation)):
            tags.setdefault(identifier, []).append(key)
    return tags


def loop_names(structure: ModelStructure) -> dict[str, str]:
    """Loop id -> name, read from group comments that list the loops (``R1 name; ...``)."""
    names: dict[str, str] = {}
    text = equations_text(structure.path)
    for block in re.findall(r"\*{5,}\s*\.[^\n]*\s*\*{5,}~([^|]*)\|", text):
        if MENTIONS_LOOPS.search(block):
            for identifier, name in LOOP_NAME.findall(" ".join(block.split())):
                names.setdefault(identifier, name.strip())
    return names


def model_loops(structure: ModelStructure, polarity: dict) -> list[Loop]:
    """The named loops of a model, or its shortest loops if it names none.

    Parameters
    ----------
    structure : ModelStructure
    polarity : dict
        ``(source, target)`` -> ``"+"``, ``"−"``, ``"±"`` or ``"0"``
        (:func:`~renaissance.diagrams.polarity.link_polarities`).

    Returns
    -------
    list of Loop
        Named loops in the order R1..R12, B1..B7 (ids the comments name but the
        equations cannot close, such as an open chain, are left out); else found loops.
    """
    graph = _graph(structure, polarity)
    tags = loop_tags(structure)
    if tags:
        names = loop_names(structure)
        loops = []
        for identifier in sorted(tags, key=lambda i: (i[0] != "R", int(i[1:]))):
            loop = _thread(graph, identifier, tags[identifier], polarity)
            if loop is not None:
                loops.append(Loop(identifier, names.get(identifier, ""), loop[0], loop[1],
                                  tuple(tags[identifier]), True))  # fmt: skip
        return loops
    return _shortest_loops(graph, polarity)


def chain_polarity(chain, polarity: dict) -> str:
    signs = [polarity.get(link, "0") for link in zip(chain, chain[1:] + chain[:1], strict=True)]
    if any(s not in ("+", "−") for s in signs):
        return "?"
    return "B" if signs.count("−") % 2 else "R"


def _graph(structure: ModelStructure, polarity: dict) -> dict[str, list[str]]:
    drawn = {k for k, v in structure.variables.items() if v.kind in ("stock", "flow", "auxiliary")}
    graph: dict[str, list[str]] = {k: [] for k in drawn}
    for link in structure.dynamic_links():
        if link.source in drawn and link.target in drawn and (link.source, link.target) in polarity:
            graph[link.source].append(link.target)
    return graph


def _paths(graph, polarity, start: str, known_signs: bool) -> dict:
    """Shortest paths from ``start``, by parity of negative links: (node, parity) -> path."""
    paths = {(start, 0): [start]}
    queue = deque([(start, 0)])
    while queue:
        node, parity = queue.popleft()
        for child in graph.get(node, ()):
            sign = polarity.get((node, child), "0")
            if known_signs and sign not in ("+", "−"):
                continue
            state = (child, parity ^ (sign == "−"))
            if state not in paths:
                paths[state] = [*paths[(node, parity)], child]
                queue.append(state)
    return paths


def _segment(graph, polarity, paths, a: str, b: str, parity: int) -> list[str] | None:
    """Shortest path from ``a`` to ``b`` (a cycle when ``a == b``) with that parity."""
    if a != b:
        return paths(a).get((b, parity))
    best = None
    for child in graph.get(a, ()):
        sign = polarity.get((a, child), "0")
        path = paths(child).get((a, parity ^ (sign == "−")))
        if path is not None and (best is None or len(path) + 1 < len(best)):
            best = [a, *path]
    return best


def _thread(graph, identifier, tagged, polarity):
    """Shortest simple cycle through most of ``tagged`` with the polarity of the id.

    A tagged constant is on no loop itself: the variables that read it stand for it.
    """
    want = 1 if identifier.startswith("B") else 0
    expanded = []
    for key in tagged:
        expanded += [key] if key in graph else _readers_of(key, polarity, graph)
    tagged = list(dict.fromkeys(expanded))[:MOST_TAGS]
    for known_signs in (True, False):
        cache: dict = {}

        def paths(node, known=known_signs, cache=cache):
            if node not in cache:
                cache[node] = _paths(graph, polarity, node, known)
            return cache[node]

        for size in range(len(tagged), 0, -1):
            best = None
            for subset in itertools.combinations(tagged, size):
                first, rest = subset[0], subset[1:]
                for order in itertools.permutations(rest):
                    stops = [first, *order, first]
                    for parities in itertools.product((0, 1), repeat=len(stops) - 1):
                        if sum(parities) % 2 != want:
                            continue
                        chain: list[str] = []
                        for (a, b), parity in zip(itertools.pairwise(stops), parities,
                                                  strict=True):  # fmt: skip
                            segment = _segment(graph, polarity, paths, a, b, parity)
                            if segment is None:
                                chain = []
                                break
                            chain += segment[:-1]
                        if chain and len(set(chain)) == len(chain):
                            if best is None or len(chain) < len(best):
                                best = chain
            if best is None and size == 1:
                # the shortest closed walk of the right parity may pass a node twice:
                # search simple cycles instead, shortest first
                for (first,) in itertools.combinations(tagged, 1):
                    found = _simple_cycle(graph, polarity, first, want, known_signs)
                    if found is not None and (best is None or len(found) < len(best)):
                        best = found
            if best is not None:
                return tuple(best), chain_polarity(best, polarity)
    return None


def _simple_cycle(graph, polarity, start: str, parity: int, known_signs: bool):
    """Shortest simple cycle through ``start`` with ``parity`` negative links, or None.

    Iterative deepening, pruned by each node's distance back to ``start``.
    """
    reverse: dict[str, list[str]] = {}
    for node, children in graph.items():
        for child in children:
            reverse.setdefault(child, []).append(node)
    distance = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for parent in reverse.get(node, ()):
            if parent not in distance:
                distance[parent] = distance[node] + 1
                queue.append(parent)

    def sign(a, b):
        return polarity.get((a, b), "0")

    for limit in range(2, MOST_LENGTH + 1):
        stack = [(start, [start], 0)]
        while stack:
            node, path, odd = stack.pop()
            for child in graph.get(node, ()):
                s = sign(node, child)
                if known_signs and s not in ("+", "−"):
                    continue
                flipped = odd ^ (s == "−")
                if child == start:
                    if flipped == parity and len(path) == limit:
                        return path
                    continue
                if child in path or child not in distance:
                    continue
                if len(path) + distance[child] > limit:
                    continue
                stack.append((child, [*path, child], flipped))
    return None


def _readers_of(key: str, polarity: dict, graph) -> list[str]:
    return [target for source, target in polarity if source == key and target in graph]


def _shortest_loops(graph, polarity) -> list[Loop]:
    """Up to :data:`MOST_FOUND` elementary cycles, shortest first, named by polarity."""
    order = {node: i for i, node in enumerate(graph)}
    cycles = []
    for start in graph:
        stack = [(start, [start])]
        while stack and len(cycles) < 20 * MOST_FOUND:
            node, path = stack.pop()
            for child in graph[node]:
                if child == start:
                    cycles.append(tuple(path))
                elif order[child] > order[start] and child not in path and len(path) < MOST_LENGTH:
                    stack.append((child, [*path, child]))
    cycles = sorted(set(cycles), key=lambda c: (len(c), c))[:MOST_FOUND]
    counters = {"R": 0, "B": 0, "?": 0}
    loops = []
    for cycle in cycles:
        kind = chain_polarity(cycle, polarity)
        counters[kind] += 1
        prefix = {"R": "R", "B": "B", "?": "L"}[kind]
        loops.append(Loop(f"{prefix}{counters[kind]}", "", cycle, kind))
    return loops
