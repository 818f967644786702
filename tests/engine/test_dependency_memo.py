"""Dependency closures and dynamic sets are remembered per key set, never shared."""

from __future__ import annotations

from renaissance.engine import graph, load_model
from renaissance.paths import MODEL_FILE


def test_remembered_sets_equal_fresh_ones_and_are_private_copies(monkeypatch):
    orders = load_model(MODEL_FILE).plan.orders
    keys = set(orders.init_order[-3:])  # late in the order: many dependencies
    fresh = orders._closure(keys, orders.init_deps)
    first = orders.closure(keys, orders.init_deps)
    assert first == fresh
    first.add("not a variable")  # the caller's copy, not the memo
    assert orders.closure(keys, orders.init_deps) == fresh
    constant = set(list(orders.step_order)[:5])
    assert orders.dynamic(constant) == orders._dynamic(constant, frozenset())
    # a full memo starts over instead of growing
    monkeypatch.setattr(graph, "MEMO_SIZE", 2)
    for key in list(orders.step_deps)[:5]:
        assert orders.closure({key}, orders.step_deps) == orders._closure({key}, orders.step_deps)
    assert len(orders._memo) <= 2
