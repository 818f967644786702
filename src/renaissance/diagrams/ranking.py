"""Which links of a diagram may not rank its layout, so that pipes keep one direction.

A layered layout (Graphviz ``dot``) puts every edge's head to the right of its tail; in
a graph with feedback loops it must reverse some edges, and left to itself it may
reverse a pipe, so that a flow runs backwards into its stock. Here the loops are broken
where a modeller would: at information links, preferring those that leave a stock (the
point where every feedback loop closes), then those that leave a flow.
"""

from __future__ import annotations

import itertools


def unranked_links(edges: list[tuple[str, str, bool, int]]) -> set[tuple[str, str]]:
    """Breakable edges to leave out of the ranking so that the rest has no cycle.

    Parameters
    ----------
    edges : list of (tail, head, breakable, preference)
        ``breakable`` says whether the edge may be left out (information links);
        among the breakable edges of a cycle, the one with the lowest ``preference``
        is left out first (ties: the first found).

    Returns
    -------
    set of (tail, head)
        The edges to draw with ``constraint=false``. Cycles made only of unbreakable
        edges stay (the layout engine reverses one of their edges).
    """
    active: dict[tuple[str, str], tuple[bool, int]] = {}
    for tail, head, breakable, preference in edges:
        if tail != head:  # a pipe and a link between the same two nodes rank as a pipe
            known = active.get((tail, head), (True, preference))
            active[(tail, head)] = (known[0] and breakable, min(known[1], preference))
    removed: set[tuple[str, str]] = set()
    while True:
        cycle = _find_cycle(active)
        if cycle is None:
            return removed
        candidates = [e for e in cycle if active[e][0]]
        if not candidates:
            # a cycle of pipes only: keep it, but do not find it again
            for edge in cycle:
                active[edge] = (False, 0)
            del active[cycle[-1]]
            continue
        edge = min(candidates, key=lambda e: active[e][1])
        removed.add(edge)
        del active[edge]


def _find_cycle(edges: dict) -> list[tuple[str, str]] | None:
    """One cycle of the directed graph ``edges`` as a list of edges, or None."""
    successors: dict[str, list[str]] = {}
    for tail, head in edges:
        successors.setdefault(tail, []).append(head)
    state: dict[str, int] = {}
    for root in successors:
        if state.get(root):
            continue
        stack = [(root, iter(successors.get(root, ())))]
        path = [root]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            for child in children:
                if state.get(child) == 1:
                    start = path.index(child)
                    nodes = [*path[start:], child]
                    return list(itertools.pairwise(nodes))
                if not state.get(child):
                    state[child] = 1
                    path.append(child)
                    stack.append((child, iter(successors.get(child, ()))))
                    break
            else:
                stack.pop()
                path.pop()
                state[node] = 2
    return None
