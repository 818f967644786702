"""Estimate the machine's bound for one integration step of a compiled model.

Two lower bounds on the time of one step for an ensemble of E members:

- memory: every dynamic variable and stock is written once and read at least once per
  step, 16 bytes per element, at the machine's measured streaming bandwidth;
- arithmetic: the element-operations the plan performs per member and step (counted on
  a real step), each at the measured cost of one element-wise numpy operation on large
  arrays, i.e. with no Python overhead and no cache misses beyond streaming.

Contractions (SUM of products) are counted by the size of their result, so the bound is
optimistic: no numpy-based engine executing this plan can beat it.

The virtual machine (``backend="vm"``) keeps each block of members in cache, so its
memory traffic is only what it records: its bound is arithmetic, the element-operations
of the tape it runs per member and evaluation (``renaissance.engine.compiled.step_work``,
sums of products and reductions counted per term) at the measured cost of one
element-wise operation on arrays that stay in cache (:func:`measure_in_cache_op`), on one
core. It ignores the machine's cost per tape row (a few tens of nanoseconds whatever the
row's size), which is what dominates a single run, and a run on two cores can beat it by
up to two.
"""

from __future__ import annotations

import time
from typing import ClassVar

import numpy as np


def measure_bandwidth(megabytes: int = 256, repeats: int = 5) -> float:
    """Streaming copy bandwidth in bytes per second (read + write counted)."""
    source = np.ones(megabytes * 2**20 // 8)
    target = np.empty_like(source)
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        np.copyto(target, source)
        best = min(best, time.perf_counter() - start)
    return 2 * source.nbytes / best


def measure_element_op(elements: int = 2**23, repeats: int = 5) -> float:
    """Seconds per element of one binary ufunc (``a * b -> out``) on large arrays."""
    a, b = np.random.default_rng(0).random((2, elements))
    out = np.empty(elements)
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        np.multiply(a, b, out=out)
        best = min(best, time.perf_counter() - start)
    return best / elements


def measure_in_cache_op(elements: int = 4096, calls: int = 20_000, repeats: int = 5) -> float:
    """Seconds per element of ``a * b -> out`` on arrays that stay in cache (L1/L2)."""
    a, b = np.random.default_rng(1).random((2, elements))
    out = np.empty(elements)
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            np.multiply(a, b, out=out)
        best = min(best, time.perf_counter() - start)
    return best / (calls * elements)


def machine_bound(model, members: int, evaluations: int, in_cache_seconds: float) -> dict:
    """Arithmetic bound (seconds) of the last virtual-machine run of ``model``."""
    from renaissance.engine import compiled

    work = compiled.step_work(model.plan)
    if work is None:
        return {}
    per_evaluation = work["element_operations"] * members * in_cache_seconds
    return {
        "tape_operations": work["operations"],
        "tape_element_operations": work["element_operations"],
        "vm_bound_s": per_evaluation * evaluations,
    }


class _Counting(np.ndarray):
    """ndarray that adds the size of every result computed from it to ``tally``."""

    tally: ClassVar[list[int]] = [0, 0]  # [operations, elements]

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        plain = [np.asarray(x) if isinstance(x, _Counting) else x for x in inputs]
        result = getattr(ufunc, method)(*plain, **kwargs)
        return self._count(result)

    def __array_function__(self, func, types, args, kwargs):
        def strip(x):
            if isinstance(x, _Counting):
                return np.asarray(x)
            if isinstance(x, (list, tuple)):
                return type(x)(strip(v) for v in x)
            return x

        result = func(*strip(args), **{k: strip(v) for k, v in kwargs.items()})
        if func in (np.broadcast_to, np.shape, np.broadcast_shapes, np.ndim):
            return result
        return self._count(result)

    @classmethod
    def _count(cls, result):
        if isinstance(result, np.ndarray):
            cls.tally[0] += 1
            cls.tally[1] += result.size
            return result.view(cls)
        return result


def work_per_step(model) -> dict:
    """Operations and elements computed per member and step, counted on one real step.

    Every numpy call made while evaluating the model and its derivatives once (E = 1)
    is counted with the size of its result: the engine's own arithmetic per step, with
    static sub-expressions already hoisted out.
    """
    plan = model.plan
    state = plan.initialize(1, {}, set())
    env = state.env
    for key, value in list(env.items()):
        if isinstance(value, np.ndarray):
            env[key] = value.view(_Counting)
    y = [v.view(_Counting) if v is not None else None for v in state.y]
    _Counting.tally[:] = [0, 0]
    plan.rhs(state, state.t0, y, state.disc, state.t0)
    operations, element_ops = _Counting.tally
    elements = sum(
        int(np.prod(plan.sizes(key))) for key, _, _ in state.step_order if key in plan.variables
    )
    return {"operations": operations, "element_ops": element_ops, "elements": elements}


def step_bound(model, members: int, bandwidth: float, op_seconds: float) -> dict:
    """Lower bounds (seconds) on one step for ``members`` members."""
    work = work_per_step(model)
    memory = 16 * work["elements"] * members / bandwidth
    arithmetic = work["element_ops"] * members * op_seconds
    return {
        **work,
        "memory_s": memory,
        "arithmetic_s": arithmetic,
        "bound_s": max(memory, arithmetic),
    }
