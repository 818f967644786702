"""Dependency graphs and evaluation orders, fixed once at compile time.

Two graphs over the same keys (auxiliaries and stateful outputs):

- the *initialisation* graph, where a stateful depends on what its initial value needs
  (PySD's ``_get_initialize_order``: a cycle is a circular initialisation);
- the *step* graph, where a stateful's output depends only on what its output formula
  reads (the delay time of a DELAY, the input of a TREND), which breaks feedback loops.
  A cycle left here is an algebraic loop.
"""

from __future__ import annotations

from renaissance.engine.errors import ModelStructureError
from renaissance.engine.memo import remember

TIME = "time"
MEMO_SIZE = 256
"""Key sets whose closure or dynamic set an Orders object remembers (then it starts over)."""


def toposort(deps: dict[str, frozenset[str]], what: str) -> list[str]:
    """Keys of ``deps`` so that each comes after its dependencies (file order kept)."""
    order: list[str] = []
    state: dict[str, int] = {}

    for root in deps:
        if state.get(root) == 2:
            continue
        stack = [(root, iter(sorted(deps[root])))]
        state[root] = 1
        while stack:
            key, children = stack[-1]
            for child in children:
                if child not in deps:
                    continue
                if state.get(child) == 1:
                    cycle = [k for k, _ in stack]
                    cycle = [*cycle[cycle.index(child) :], child]
                    raise ModelStructureError(f"{what}: {' -> '.join(cycle)}")
                if state.get(child) is None:
                    state[child] = 1
                    stack.append((child, iter(sorted(deps[child]))))
                    break
            else:
                stack.pop()
                state[key] = 2
                order.append(key)
    return order


class Orders:
    """Evaluation orders and dependency sets of a compiled model.

    Parameters
    ----------
    variables : dict of Variable
        Compiled variables; only ``kind == "aux"`` ones are graph nodes.
    statefuls : list of Stateful
    """

    def __init__(self, variables, statefuls, slots=None):
        self.init_deps: dict[str, frozenset[str]] = {}
        self.step_deps: dict[str, frozenset[str]] = {}
        self.deriv_deps: dict[str, frozenset[str]] = {}
        self.stateful_keys = {s.key for s in statefuls}
        self.static_statefuls = {s.key for s in statefuls if not s.dynamic}
        for s in statefuls:
            self.init_deps[s.key] = s.init_deps
            self.step_deps[s.key] = s.output_deps
            self.deriv_deps[s.key] = s.deriv_deps
        for var in variables.values():
            if var.kind == "aux":
                self.init_deps[var.key] = var.node.init_deps
                self.step_deps[var.key] = var.node.step_deps
        for slot, node in (slots or {}).items():
            self.init_deps[slot] = node.init_deps
            self.step_deps[slot] = node.step_deps
        self._memo: dict = {}  # see _remembered
        self._init_dependents: dict[str, set[str]] = {}
        for key, deps in self.init_deps.items():
            for dep in deps:
                self._init_dependents.setdefault(dep, set()).add(key)
        self.init_order = toposort(self.init_deps, "circular initialisation")
        self.step_order = toposort(self.step_deps, "algebraic loop")

    def _remembered(self, key, compute) -> set[str]:
        """A copy of ``compute()``, computed once per ``key`` (the graphs never change)."""
        return set(remember(self._memo, key, lambda: frozenset(compute()), MEMO_SIZE))

    def dynamic(self, constant: set[str], varying: set[str] = frozenset()) -> set[str]:
        """Keys whose value changes during a run.

        ``constant`` keys are forced constant (overridden by a value), ``varying`` keys
        forced to change (overridden by a time series).
        """
        key = ("dynamic", frozenset(constant), frozenset(varying))
        return self._remembered(key, lambda: self._dynamic(constant, varying))

    def _dynamic(self, constant, varying) -> set[str]:
        dynamic: set[str] = set()
        for key in self.step_order:
            if key in varying:
                dynamic.add(key)
                continue
            if key in constant:
                continue
            if key in self.stateful_keys and key not in self.static_statefuls:
                dynamic.add(key)
            elif any(d == TIME or d in dynamic for d in self.step_deps[key]):
                dynamic.add(key)
        return dynamic

    def closure(self, keys: set[str], graph: dict[str, frozenset[str]]) -> set[str]:
        """``keys`` and everything they depend on in ``graph``."""
        if not any(graph is own for own in (self.init_deps, self.step_deps, self.deriv_deps)):
            return self._closure(keys, graph)
        return self._remembered(("closure", id(graph), frozenset(keys)),
                                lambda: self._closure(keys, graph))  # fmt: skip

    def init_dependents(self, keys: set[str]) -> set[str]:
        """``keys`` and every key whose initial value depends on one of them.

        ``keys`` may include :data:`TIME` (everything that reads the clock at the
        initial time). The inverse of :meth:`closure` over the initialisation graph.
        """
        return self._remembered(("dependents", frozenset(keys)),
                                lambda: self._dependents(keys))  # fmt: skip

    def _dependents(self, keys) -> set[str]:
        seen = set(keys)
        todo = list(keys)
        while todo:
            for dependent in self._init_dependents.get(todo.pop(), ()):
                if dependent not in seen:
                    seen.add(dependent)
                    todo.append(dependent)
        return seen

    @staticmethod
    def _closure(keys, graph) -> set[str]:
        seen: set[str] = set()
        todo = [k for k in keys if k in graph]
        while todo:
            key = todo.pop()
            if key in seen:
                continue
            seen.add(key)
            todo.extend(d for d in graph[key] if d in graph and d not in seen)
        return seen
