"""Fixed-step runs on the Numba virtual machine: trace once, check, bind, integrate.

:func:`run` integrates an initialised :class:`~renaissance.engine.plan.RunState` with
Euler or RK4 exactly as :func:`renaissance.engine.integrators.run_fixed` does (same
clock, same save times, same per-member failure times), but executes the right-hand side
as a tape (:mod:`renaissance.engine.tape`) on the virtual machine
(:mod:`renaissance.engine.vm`) instead of calling the numpy closures.

Steps:

1. **Trace** the plan's evaluation and derivatives once, with tracers for the states,
   the time and every environment constant the step reads. The tape does not depend on
   the ensemble size or on the constants' values, so it is cached on the plan for
   the same evaluation order, returned variables and time step (runs whose closures
   carry run-specific data, cell patches and time series, are traced each time).
2. **Check** the tape once: the machine evaluates it for the first member at the
   initial time and must reproduce numpy's values of every derivative and returned
   variable (relative 1e-9). A tape that fails is never used.
3. **Bind** the run's constants: member-shared ones into the shared array, the ones
   that differ by member into the member matrix. Operations that read only shared
   constants run once (the prologue); element-wise operations read regular gathers
   through strides (:func:`renaissance.engine.tapeopt.block_gathers`); sums of
   products skip the terms whose shared factor is zero
   (:func:`renaissance.engine.tapeopt.skip_zero_terms`).
4. **Integrate** in compiled code, member block by member block.

Anything that cannot be traced (discrete states, TIME STEP or FINAL TIME changing in
the run, a numpy operation the tape does not know) returns None and the caller uses the
numpy plan; :func:`why_not` tells why.
"""

from __future__ import annotations

import functools
import threading

import numpy as np

from renaissance.engine.integrators import RPREC, clock
from renaissance.engine.tape import WORK, Slot, Tape, TraceError, Tracer

LANES = 8
"""Members integrated together by the virtual machine (its innermost loop)."""

CHECK_RTOL = 1e-9
"""Relative agreement with numpy required of a new tape (rounding only differs)."""

_REASONS: dict[int, str] = {}
_WORK: dict[int, np.ndarray] = {}


def available() -> bool:
    """Whether Numba can be imported (the virtual machine needs it)."""
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def step_work(plan) -> dict | None:
    """Work per member of one evaluation of the tape the last machine run of ``plan`` used.

    Returns
    -------
    dict or None
        ``operations`` (tape rows executed per evaluation), ``cells`` (output cells
        written) and ``element_operations`` (cells times the terms each combines, for
        reductions and sums of products); None if ``plan`` never ran on the machine.
    """
    ops = _WORK.get(id(plan))
    return None if ops is None else _work_of(ops)


def _work_of(ops) -> dict:
    from renaissance.engine import tapeopt, vm

    sizes = ops[:, vm.SIZE]
    grouped = np.isin(ops[:, vm.OPCODE], tapeopt.GROUPED)
    terms = np.where(grouped, np.maximum(ops[:, vm.INNER], 1), 1)
    return {
        "operations": len(ops),
        "cells": int(sizes.sum()),
        "element_operations": int((sizes * terms).sum()),
    }


def why_not(plan) -> str | None:
    """Why the last run of ``plan`` did not use the virtual machine (None if it did)."""
    return _REASONS.get(id(plan))


class Program:
    """A traced, checked tape for one plan and one evaluation order.

    Attributes
    ----------
    ops : ndarray of int64, shape (n_ops, 17)
        Operation table; input spaces of environment constants are symbolic (< 0).
    index, shared : ndarray
        Gather positions (int64) and tape constants (float64).
    inputs : list of str
        Environment keys bound per run; ``input_sizes`` their cells per member.
    states : list of tuple
        ``(stateful index, first work row, cells)`` of every continuous state.
    records : dict
        Returned key -> first work row of its value (dynamic), or None (constant).
    """

    def __init__(self, tape: Tape, states, n_state, derivative_row, records, sizes):
        from renaissance.engine import tapeopt, vm

        ops = np.array(tape.rows, dtype=np.int64).reshape(-1, vm.NCOLUMNS)
        ops[:, vm.OPCODE] = [getattr(vm, name) for name in tape.names]
        index = np.concatenate(tape.index).astype(np.int64) if tape.index else np.zeros(0, np.int64)
        # rows that must hold their values after an evaluation: derivatives, returned
        kept = np.zeros(tape.work_size, dtype=bool)
        kept[derivative_row : derivative_row + n_state] = True
        for key, row in records.items():
            if row is not None:
                kept[row : row + sizes[key]] = True
        protected = kept.copy()
        protected[: derivative_row + n_state] = True  # time, held time, states
        ops, index = tapeopt.fold_copies(ops, index, protected)
        keep = tapeopt.drop_dead(ops, index, kept)
        self.ops, self.index = ops[keep], index
        self.traced_operations = len(tape.rows)
        self.shared = np.concatenate(tape.shared) if tape.shared else np.zeros(0)
        self.inputs = list(tape.inputs)
        self.input_sizes = [int(np.prod(s)) for s in tape.input_shapes]
        self.work_size = tape.work_size
        self.states = states
        self.n_state = n_state
        self.derivative_row = derivative_row
        self.records = records
        self.checked = False
        self.names = [tape.names[i] for i in keep]
        self.references = [tape.references[i] for i in keep]
        self.splits: dict[tuple, np.ndarray] = {}
        self.layouts: dict[tuple, Layout] = {}
        self.zero_terms: dict = {}  # tapeopt.skip_zero_terms' memo
        self.blocks: dict = {}  # tapeopt.block_gathers' memo


SERIES_PREFIX = "$series-"
"""Environment keys of time-series tables, read as constants of the tape (not inputs)."""


class _TracingEnv(dict):
    """Run environment seen while tracing: constants become input tracers on first read
    (values set at initialisation, stateful outputs that stay fixed such as INITIAL, and
    the slots of hoisted expressions), except time-series tables."""

    def __init__(self, tape: Tape, base: dict):
        super().__init__()
        self.tape = tape
        self.base = base

    def __missing__(self, key):
        value = self.base[key]
        if isinstance(value, np.ndarray) and not key.startswith(SERIES_PREFIX):
            value = self.tape.input(key, value)
        self[key] = value
        return value


def _trace(plan, state, keys) -> Program:
    from renaissance.engine.plan import RunState

    tape = Tape()
    time = tape.work_value(np.array([state.t0]))
    held = tape.work_value(np.array([state.t0]))
    env = _TracingEnv(tape, state.env)
    env.update({"time": time, "$tin": held, "$E": 1, "$dt": state.dt, "$initialising": False})
    ys = [None] * len(plan.statefuls)
    states = []
    for i in plan.continuous:
        first = np.array(np.asarray(state.y[i])[:1], dtype=float)
        ys[i] = tape.work_value(first)
        states.append((i, ys[i].slot.offset, ys[i].size))
    n_state = sum(size for _, _, size in states)
    derivative_row = tape.allocate(n_state)
    traced = RunState(env, ys, state.disc, 1, state.t0, state.dt, state.final_time,
                      state.saveper, state.step_order)  # fmt: skip
    with np.errstate(all="ignore"):
        plan.evaluate(traced, ys, state.disc)
        derivatives = plan.derivatives(traced, ys, state.disc)
    row = derivative_row
    for i, _, size in states:
        shape = ys[i].shape
        value = np.broadcast_to(np.asarray(_unwrap(derivatives[i]), dtype=float), shape)
        out = Tracer(tape, Slot(WORK, row), np.array(value))
        tape.emit("COPY", out, [tape.operand(derivatives[i], shape)])
        row += size
    records, cell_counts = {}, {}
    for key in keys:
        cell_counts[key] = plan.cell_counts[key]
        value = dict.get(env, key)
        if isinstance(value, Tracer) and value.slot.space == WORK:
            sizes = (1, *plan.sizes(key))
            if value.shape != sizes:
                value = np.broadcast_to(value, sizes).copy()
            records[key] = value.slot.offset
        else:
            records[key] = None
    return Program(tape, states, n_state, derivative_row, records, cell_counts)


def _unwrap(x):
    return x.value if isinstance(x, Tracer) else x


def _bind(program: Program, env: dict, members: int):
    """Ops, shared constants, member matrix and input spaces (shared/member) of one run."""
    from renaissance.engine import tapeopt, vm

    shared_parts = [program.shared]
    member_parts = []
    shared_size, member_size = program.shared.size, 0
    spaces = np.empty(len(program.inputs), dtype=np.int64)
    bases = np.empty(len(program.inputs), dtype=np.int64)
    for number, (key, cells) in enumerate(zip(program.inputs, program.input_sizes, strict=True)):
        value = np.asarray(env[key], dtype=float)
        rows = value.shape[0] if value.ndim else 1
        if value.size != rows * cells or rows not in (1, members):
            raise TraceError(f"constant {key!r} has shape {value.shape} at this run")
        if rows == 1 or members == 1:
            spaces[number], bases[number] = vm.SHARED, shared_size
            shared_parts.append(value.reshape(-1)[:cells])
            shared_size += cells
        else:
            spaces[number], bases[number] = vm.MEMBER, member_size
            member_parts.append(value.reshape(members, cells).T)
            member_size += cells
    ops = program.ops.copy()
    for space_column, offset_column, _, _ in tapeopt.INPUTS:
        symbolic = ops[:, space_column] < 0
        if symbolic.any():
            numbers = -1 - ops[symbolic, space_column]
            ops[symbolic, offset_column] += bases[numbers]
            ops[symbolic, space_column] = spaces[numbers]
    shared = np.concatenate(shared_parts) if len(shared_parts) > 1 else program.shared
    if member_parts:
        matrix = np.ascontiguousarray(np.concatenate(member_parts, axis=0))
    else:
        matrix = np.zeros((0, members))
    return ops, np.ascontiguousarray(shared), matrix, tuple(spaces.tolist())


def _prologue(program: Program, ops, shared, matrix, spaces):
    """Run the operations that cannot change during the run once (tapeopt.split_static).

    Returns the operations left for every evaluation and the work rows every member
    block starts from (holding the prologue's results).
    """
    from renaissance.engine import tapeopt, vm

    static = program.splits.get(spaces)
    if static is None:
        dynamic_rows = np.zeros(program.work_size, dtype=bool)
        dynamic_rows[: program.derivative_row] = True  # time, held time, states
        static = program.splits[spaces] = tapeopt.split_static(ops, program.index, dynamic_rows)
    work = np.zeros((program.work_size, 1))
    if static.any():
        with np.errstate(all="ignore"):
            vm.evaluate(np.ascontiguousarray(ops[static]), program.index, shared, matrix, work, 0)
    return np.ascontiguousarray(ops[~static]), work[:, 0].copy()


def _initial_states(program: Program, state) -> np.ndarray:
    columns = []
    for i, _, size in program.states:
        y = np.asarray(state.y[i], dtype=float)
        columns.append(np.broadcast_to(y.reshape(y.shape[0], -1), (state.members, size)))
    if not columns:
        return np.zeros((0, state.members))
    return np.ascontiguousarray(np.concatenate(columns, axis=1).T)


def _check(program: Program, ops, shared, matrix, state, y0) -> None:
    """The machine must compute every operation as numpy did for the first member.

    Operation by operation, in order: the work rows hold numpy's values of everything
    computed before (so upstream rounding cannot accumulate), the machine runs the one
    operation, and its output must equal numpy's within :data:`CHECK_RTOL` of the
    magnitude of the cell's operands (rounding of a sum or of ``exp`` differs in the last
    bits between numpy and compiled code; a wrong cell, input or function does not).
    """
    from renaissance.engine import vm

    work = np.zeros((program.work_size, 1))
    work[0, 0] = work[1, 0] = state.t0
    row = 0
    for _, offset, size in program.states:
        work[offset : offset + size, 0] = y0[row : row + size, 0]
        row += size
    arrays = (work[:, 0], shared, matrix[:, 0] if matrix.size else np.zeros(0))
    with np.errstate(all="ignore"):
        for number, expected in enumerate(program.references):
            op = ops[number : number + 1]
            vm.evaluate(op, program.index, shared, matrix, work, 0)
            first = int(op[0, vm.OUT])
            got = work[first : first + expected.size, 0]
            scale = np.abs(expected) + _operand_scale(op[0], program.index, arrays, expected.size)
            same = (got == expected) | (np.abs(got - expected) <= CHECK_RTOL * scale)
            same |= np.isnan(got) & np.isnan(expected)
            if not same.all():
                cell = int(np.flatnonzero(~same)[0])
                raise TraceError(
                    f"the compiled step disagrees with numpy at the initial time: operation "
                    f"{number} ({program.names[number]}), cell {cell}: {got[cell]!r} instead "
                    f"of {expected[cell]!r}"
                )
            work[first : first + expected.size, 0] = expected
    program.checked = True


def _operand_scale(op, index, arrays, size) -> np.ndarray:
    """Per output cell, the sum of the magnitudes of what the operation combined."""
    from renaissance.engine import tapeopt, vm

    name = int(op[vm.OPCODE])
    n, q = int(op[vm.SIZE]), max(1, int(op[vm.INNER]))
    grouped = name in tapeopt.GROUPED
    used = 1 if name == vm.INTERP else tapeopt.input_count(op)  # INTERP's B: its table
    values = []
    for which in range(used):
        space, offset = (int(op[column]) for column in tapeopt.INPUTS[which][:2])
        values.append(np.abs(arrays[space][offset + tapeopt.cells_of(op, which, index)]))
    if name == vm.SUMPROD:
        terms = (values[0] * values[1]).reshape(n, q).sum(axis=1)
        return np.resize(terms, size)
    if grouped:
        return np.resize(values[0].reshape(n, q).sum(axis=1), size)
    if name == vm.INTERP:  # the largest y of the row each cell interpolates in
        if int(op[vm.B_MODE]) == vm.SCALAR:
            starts = np.zeros(n, dtype=np.int64)
        else:
            starts = index[int(op[vm.B_INDEX]) : int(op[vm.B_INDEX]) + n]
        rows = int(op[vm.B_OFFSET]) + starts[:, None] + np.arange(q)
        return np.resize(np.abs(arrays[vm.SHARED][rows]).max(axis=1), size)
    total = sum(values)
    if name == vm.SCATTER:
        return np.full(size, np.max(total, initial=0.0))
    return np.resize(total, size)


def _cache_key(state, keys):
    """Key of a reusable tape, or None when the step's closures carry run data."""
    if state.run_specific:
        return None
    # the states' shapes too: a SMOOTH N or DELAY order is a number of the tape
    shapes = tuple(None if y is None else y.shape[1:] for y in state.y)
    return (tuple(k for k, _, _ in state.step_order), tuple(keys), state.dt, shapes)


@functools.lru_cache(maxsize=64)
def _clock(t0: float, dt: float, final_time: float, saveper: float):
    """Evaluation times, save rows (-1: not saved) and saved times, as run_fixed's clock
    (``t0 + k dt``: :func:`renaissance.engine.integrators.clock`)."""
    times, saves = clock(t0, dt, final_time, saveper)
    rows = np.where(saves, np.cumsum(saves) - 1, -1).astype(np.int64)
    decimals = -int(np.log10(dt * RPREC))
    saved = tuple(float(np.round(t, decimals)) for t in times[saves])
    return times, rows, saved  # shared by runs: read, never written (the machine only reads)


class Layout:
    """Where each returned variable comes from: recorded work rows or a constant."""

    def __init__(self, plan, program: Program, keys):
        self.shapes = {k: plan.sizes(k) for k in keys}
        self.slices = {}
        rows = []
        for k in keys:
            first = program.records[k]
            if first is not None:
                size = int(np.prod(self.shapes[k]))
                self.slices[k] = (len(rows), len(rows) + size)
                rows.extend(range(first, first + size))
        self.record_rows = np.array(rows, dtype=np.int64)


class CompiledRecord:
    """What :func:`renaissance.engine.integrators.run_fixed` returns, from the machine."""

    def __init__(self, times, data, failed_at):
        self.times = times
        self.data = data
        self.failed_at = failed_at


def run(plan, state, keys: list[str], method: str = "euler") -> CompiledRecord | None:
    """Integrate ``state`` on the virtual machine, or return None (see :func:`why_not`)."""
    try:
        return _run(plan, state, keys, method)
    except TraceError as err:
        _REASONS[id(plan)] = str(err)
    except (ValueError, TypeError, IndexError) as err:
        _REASONS[id(plan)] = f"tracing failed: {type(err).__name__}: {err}"
    return None


def _run(plan, state, keys, method) -> CompiledRecord:
    from renaissance.engine import tapeopt, vm

    if plan.discrete:
        raise TraceError("discrete states (DELAY FIXED, SAMPLE IF TRUE, DELAY N)")
    if state.dynamic_controls:
        raise TraceError("TIME STEP, FINAL TIME or SAVEPER change during the run")
    cache = plan.__dict__.setdefault("_programs", {})
    key = _cache_key(state, keys)
    program = cache.get(key) if key is not None else None
    if program is None:
        program = _trace(plan, state, keys)
        if key is not None:
            cache[key] = program
    members = state.members
    ops, shared, matrix, spaces = _bind(program, state.env, members)
    y0 = _initial_states(program, state)
    # the machine does not check offsets as it runs: every bound tape is checked first
    bad = vm.check_tape(ops, program.index, shared.size, matrix.shape[0], program.work_size)
    if bad != (-1, -1):
        cache.pop(key, None)
        raise TraceError(f"malformed tape: operation {bad[0]}, column {bad[1]}")
    if not program.checked:
        try:
            _check(program, ops, shared, matrix, state, y0)
        except TraceError:
            cache.pop(key, None)
            raise
    times, save_rows, saved = _clock(state.t0, state.dt, state.final_time, state.saveper)
    n_rows = len(saved)
    layout = program.layouts.get(tuple(keys))
    if layout is None:
        layout = program.layouts[tuple(keys)] = Layout(plan, program, keys)
    out = np.empty((members, n_rows, layout.record_rows.size))
    final = np.empty((program.n_state, members))
    failed = np.full(members, np.nan)
    ops, template = _prologue(program, ops, shared, matrix, spaces)
    ops, index = tapeopt.block_gathers(ops, program.index, program.blocks)
    ops, index, shared = tapeopt.skip_zero_terms(ops, index, shared, program.zero_terms)
    if index is not program.index:
        bad = vm.check_tape(ops, index, shared.size, matrix.shape[0], program.work_size)
        if bad != (-1, -1):
            raise TraceError(f"malformed rewritten tape: operation {bad[0]}, column {bad[1]}")
    # blocks of members on all cores, from the main thread only: Numba's default threading
    # layer aborts if two threads (dask's threaded workers, say) enter it at once
    parallel = members > LANES and threading.current_thread() is threading.main_thread()
    integrate = vm.integrate_parallel if parallel else vm.integrate
    first_state = program.states[0][1] if program.states else 0
    method_code = vm.EULER if method == "euler" else vm.RK4
    with np.errstate(all="ignore"):
        integrate(ops, index, shared, matrix, template, first_state, program.n_state,
                  program.derivative_row, 0, 1, y0, times, save_rows, float(state.dt),
                  method_code, layout.record_rows, LANES, out, final, failed)  # fmt: skip
    recorded = out.transpose(1, 0, 2)  # (time, member, recorded cells)
    data = {}
    for k in keys:
        shape = (n_rows, members, *layout.shapes[k])
        if k in layout.slices:
            a, b = layout.slices[k]
            data[k] = recorded[:, :, a:b].reshape(shape)
        else:
            data[k] = np.empty(shape)
            data[k][...] = state.env[k]
    row = 0
    for i, _, size in program.states:
        state.y[i] = final[row : row + size].T.reshape((members, *np.shape(state.y[i])[1:]))
        row += size
    _REASONS.pop(id(plan), None)
    _WORK[id(plan)] = ops  # counted only when asked (step_work)
    return CompiledRecord(list(saved), data, failed)


def warm() -> None:
    """Compile the virtual machine into Numba's on-disk cache (once per install).

    Runs the project's model briefly on the machine: one run (the serial integrator) and
    a small ensemble (the parallel one). Later processes load the compiled code from the
    cache in about a second instead of compiling it for about 8–9 minutes (2 cores).
    """
    from renaissance.engine import load_model
    from renaissance.paths import MODEL_FILE

    model = load_model(MODEL_FILE, backend="vm")
    model.run(final_time=1993, return_columns=["Technical Capital"])
    model.run_ensemble(
        {"Technical Capital Depreciation Rate": np.linspace(0.09, 0.12, 2 * LANES)},
        final_time=1993,
        return_columns=["Technical Capital"],
    )


if __name__ == "__main__":
    warm()
