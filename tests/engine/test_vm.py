"""The Numba virtual machine (``renaissance.engine.vm``) against numpy.

Every opcode is run on inputs from every space (work, shared, member) in every mode
(contiguous, scalar, gathered), with one lane and with four, and compared with the numpy
function it stands for. ``integrate`` is checked on exponential decay against the Euler
and RK4 recurrences, on the stage and held times, on saving and failure times, and for
independence from the block size.

The first run on a machine compiles the machine (a minute and a half for evaluate,
integrate and integrate_parallel); later runs load it from Numba's cache in a second.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from renaissance.engine import vm

N_CELLS = 40  # output cells of each element-wise operation
INPUT_ROWS = 50  # work rows 0..49 hold inputs; outputs start at row 50
SHARED_SIZE = 50
MEMBER_ROWS = 50
MEMBER_COUNT = 7
FIRST_MEMBER = 2
LANES = (1, 4)
# zeros of both signs, values either side of SAFE_DIVIDE's 1e-6, infinities, NaN, huge values
SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0, 7.0, -7.0, 0.25, 6.5]
SPECIAL += [1e-7, -1e-7, 5e-7, -9.9e-7, 1e-6, np.inf, -np.inf, np.nan, 1e300, -1e300, 1e16]

# every (space, mode) an input can have
SPACES = (vm.WORK, vm.SHARED, vm.MEMBER)
INPUT_KINDS = list(itertools.product(SPACES, (vm.CONTIGUOUS, vm.SCALAR, vm.GATHER)))

UNARY = {
    vm.COPY: lambda a: a.copy(),
    vm.NEGATIVE: np.negative,
    vm.ABSOLUTE: np.absolute,
    vm.EXP: np.exp,
    vm.LOG: np.log,
    vm.LOG10: np.log10,
    vm.SQRT: np.sqrt,
    vm.SIN: np.sin,
    vm.COS: np.cos,
    vm.TAN: np.tan,
    vm.ARCSIN: np.arcsin,
    vm.ARCCOS: np.arccos,
    vm.ARCTAN: np.arctan,
    vm.SINH: np.sinh,
    vm.COSH: np.cosh,
    vm.TANH: np.tanh,
    vm.TRUNC: np.trunc,
    vm.FLOOR: np.floor,
    vm.CEIL: np.ceil,
    vm.SIGN: np.sign,
    vm.LOGICAL_NOT: np.logical_not,
    vm.ISFINITE: np.isfinite,
    vm.ISNAN: np.isnan,
    vm.NONZERO: lambda a: a != 0,
    vm.SQUARE: np.square,
    vm.RECIPROCAL: np.reciprocal,
}
BINARY = {
    vm.ADD: np.add,
    vm.SUBTRACT: np.subtract,
    vm.MULTIPLY: np.multiply,
    vm.DIVIDE: np.divide,
    vm.POWER: np.power,
    vm.MINIMUM: np.minimum,
    vm.MAXIMUM: np.maximum,
    vm.FMIN: np.fmin,
    vm.FMAX: np.fmax,
    vm.EQUAL: np.equal,
    vm.NOT_EQUAL: np.not_equal,
    vm.LESS: np.less,
    vm.LESS_EQUAL: np.less_equal,
    vm.GREATER: np.greater,
    vm.GREATER_EQUAL: np.greater_equal,
    vm.LOGICAL_AND: np.logical_and,
    vm.LOGICAL_OR: np.logical_or,
    vm.LOGICAL_XOR: np.logical_xor,
    vm.MOD: np.mod,
    vm.FMOD: np.fmod,
    vm.FLOOR_DIVIDE: np.floor_divide,
    vm.ARCTAN2: np.arctan2,
    vm.HYPOT: np.hypot,
}
TERNARY = {
    vm.WHERE: lambda a, b, c: np.where(a != 0, b, c),
    vm.SAFE_DIVIDE: lambda a, b, c: np.where(np.abs(b) < 1e-6, c, a / b),
}
# libm/SIMD implementations may differ from numpy's in the last bits: compared at 1e-15
TRANSCENDENTAL = {vm.EXP, vm.LOG, vm.LOG10, vm.SIN, vm.COS, vm.TAN, vm.ARCSIN, vm.ARCCOS}
TRANSCENDENTAL |= {vm.ARCTAN, vm.SINH, vm.COSH, vm.TANH, vm.POWER, vm.ARCTAN2, vm.HYPOT}


def operation(opcode, out, size, inner=0, aux=0, a=(0, 0, 0, 0), b=(0, 0, 0, 0), c=(0, 0, 0, 0)):
    """One row of the operation table; ``a``, ``b``, ``c`` are (space, offset, mode, index)."""
    return [opcode, out, size, inner, aux, *a, *b, *c]


def table(rows):
    ops = np.array(rows, dtype=np.int64).reshape(-1, vm.NCOLUMNS)
    assert ops.shape[1] == vm.NCOLUMNS
    return ops


class Machine:
    """Random input data in every space, an index array, and numpy's view of an input."""

    def __init__(self, lanes, seed):
        self.rng = np.random.default_rng(seed)
        self.lanes = lanes
        self.index = []
        self.work_inputs = self.values((INPUT_ROWS, lanes))
        self.shared = self.values(SHARED_SIZE)
        self.members = self.values((MEMBER_ROWS, MEMBER_COUNT))

    def values(self, shape):
        pool = np.concatenate([SPECIAL, self.rng.normal(0, 3, 40), self.rng.normal(0, 1e-6, 8)])
        return self.rng.choice(pool, size=shape)

    def input(self, kind, count):
        """An input spec (space, offset, mode, index start) reading ``count`` cells."""
        space, mode = kind
        start = 0
        if mode == vm.GATHER:
            start = len(self.index)
            self.index.extend(self.rng.integers(0, INPUT_ROWS - 10, count).tolist())
        offset = int(self.rng.integers(0, INPUT_ROWS if mode == vm.SCALAR else 10))
        return (space, offset, mode, start)

    def read(self, spec, cells):
        """(count, lanes) values of input ``spec`` at ``cells`` (numpy's reading)."""
        space, offset, _, _ = spec
        rows = offset + np.asarray(cells)
        if space == vm.WORK:
            return self.work_inputs[rows]
        if space == vm.SHARED:
            return np.repeat(self.shared[rows][:, None], self.lanes, axis=1)
        return self.members[rows][:, FIRST_MEMBER : FIRST_MEMBER + self.lanes]

    def cells(self, spec, count):
        _, _, mode, start = spec
        if mode == vm.CONTIGUOUS:
            return np.arange(count)
        if mode == vm.SCALAR:
            return np.zeros(count, dtype=int)
        return np.array(self.index[start : start + count])

    def run(self, ops, output_rows):
        """Evaluate ``ops``; the work array after the run."""
        work = np.full((INPUT_ROWS + output_rows, self.lanes), -12345.0)
        work[:INPUT_ROWS] = self.work_inputs
        index = np.array([*self.index, 0], dtype=np.int64)
        assert vm.check_tape(ops, index, SHARED_SIZE, MEMBER_ROWS, work.shape[0]) == (-1, -1)
        vm.evaluate(ops, index, self.shared, self.members, work, FIRST_MEMBER)
        return work


def compare(actual, expected, opcode):
    expected = np.asarray(expected, dtype=float)
    assert actual.shape == expected.shape
    name = vm.OPCODE_NAMES[opcode]
    np.testing.assert_array_equal(np.isnan(actual), np.isnan(expected), err_msg=name)
    if opcode in TRANSCENDENTAL:
        np.testing.assert_allclose(actual, expected, rtol=1e-15, atol=0, err_msg=name)
    else:
        np.testing.assert_array_equal(actual, expected, err_msg=name)


def elementwise_case(opcode, function, arity, lanes):
    machine = Machine(lanes, seed=opcode)
    rows, specs = [], []
    for kinds in itertools.product(INPUT_KINDS, repeat=arity):
        inputs = [machine.input(kind, N_CELLS) for kind in kinds]
        out = INPUT_ROWS + len(rows) * N_CELLS
        rows.append(operation(opcode, out, N_CELLS, 0, 0, *inputs))
        specs.append(inputs)
    work = machine.run(table(rows), len(rows) * N_CELLS)
    for number, inputs in enumerate(specs):
        arguments = [machine.read(spec, machine.cells(spec, N_CELLS)) for spec in inputs]
        with np.errstate(all="ignore"):
            expected = function(*arguments)
        out = INPUT_ROWS + number * N_CELLS
        compare(work[out : out + N_CELLS], expected, opcode)


@pytest.mark.parametrize("lanes", LANES)
@pytest.mark.parametrize("opcode", list(UNARY), ids=lambda o: vm.OPCODE_NAMES[o])
def test_unary(opcode, lanes):
    elementwise_case(opcode, UNARY[opcode], 1, lanes)


@pytest.mark.parametrize("lanes", LANES)
@pytest.mark.parametrize("opcode", list(BINARY), ids=lambda o: vm.OPCODE_NAMES[o])
def test_binary(opcode, lanes):
    elementwise_case(opcode, BINARY[opcode], 2, lanes)


@pytest.mark.parametrize("lanes", LANES)
@pytest.mark.parametrize("opcode", list(TERNARY), ids=lambda o: vm.OPCODE_NAMES[o])
def test_ternary(opcode, lanes):
    elementwise_case(opcode, TERNARY[opcode], 3, lanes)


def test_every_opcode_is_tested():
    tested = set(UNARY) | set(BINARY) | set(TERNARY)
    assert tested | set(vm.STRUCTURED_OPCODES) == set(vm.OPCODE_NAMES)
    assert len(vm.OPCODE_NAMES) == 58
    assert set(vm.UNARY_OPCODES) == set(UNARY) and set(vm.BINARY_OPCODES) == set(BINARY)


def test_mod_matches_numpy_on_special_pairs():
    """MOD, FMOD and FLOOR_DIVIDE on every pair of special values, signs of zero included."""
    values = np.array([*SPECIAL, 0.1, -0.1, 1 / 3, 5e-324, 4.0, -4.0, 1e-300])
    a, b = (grid.ravel() for grid in np.meshgrid(values, values))
    size = a.size
    work = np.zeros((2 * size + 3 * size, 1))
    work[:size, 0] = a
    work[size : 2 * size, 0] = b
    ops = table(
        [
            operation(opcode, (2 + number) * size, size, 0, 0, (0, 0, 0, 0), (0, size, 0, 0))
            for number, opcode in enumerate((vm.MOD, vm.FMOD, vm.FLOOR_DIVIDE))
        ]
    )
    vm.evaluate(ops, np.zeros(1, np.int64), np.zeros(1), np.zeros((0, 1)), work, 0)
    with np.errstate(all="ignore"):
        expected = [np.mod(a, b), np.fmod(a, b), np.floor_divide(a, b)]
    for number, reference in enumerate(expected):
        actual = work[(2 + number) * size : (3 + number) * size, 0]
        np.testing.assert_array_equal(actual, reference)
        finite = ~np.isnan(reference)
        np.testing.assert_array_equal(np.signbit(actual[finite]), np.signbit(reference[finite]))


@pytest.mark.parametrize("lanes", LANES)
@pytest.mark.parametrize("inner", [1, 3, 7])
def test_reductions_and_sumprod(inner, lanes):
    machine = Machine(lanes, seed=inner)
    references = {
        vm.REDUCE_SUM: (np.add, np.sum),
        vm.REDUCE_PROD: (np.multiply, np.prod),
        vm.REDUCE_MIN: (np.minimum, np.min),
        vm.REDUCE_MAX: (np.maximum, np.max),
    }
    size = 12
    rows, checks = [], []
    for opcode, (step, whole) in references.items():
        for space in (vm.WORK, vm.SHARED, vm.MEMBER):
            spec = machine.input((space, vm.GATHER), size * inner)
            rows.append(operation(opcode, INPUT_ROWS + len(rows) * size, size, inner, 0, spec))
            checks.append((opcode, step, whole, spec, None))
    for a_space, b_space in itertools.product((vm.WORK, vm.SHARED, vm.MEMBER), repeat=2):
        a = machine.input((a_space, vm.GATHER), size * inner)
        b = machine.input((b_space, vm.GATHER), size * inner)
        rows.append(operation(vm.SUMPROD, INPUT_ROWS + len(rows) * size, size, inner, 0, a, b))
        checks.append((vm.SUMPROD, None, None, a, b))
    work = machine.run(table(rows), len(rows) * size)
    for number, (opcode, step, whole, a, b) in enumerate(checks):
        actual = work[INPUT_ROWS + number * size : INPUT_ROWS + (number + 1) * size]
        terms = machine.read(a, machine.cells(a, size * inner)).reshape(size, inner, lanes)
        with np.errstate(all="ignore"):
            if opcode == vm.SUMPROD:
                other = machine.read(b, machine.cells(b, size * inner))
                other = other.reshape(size, inner, lanes)
                approximate = np.einsum("kjl,kjl->kl", terms, other)
                terms = terms * other
                step, whole = np.add, None
            else:
                approximate = whole(terms, axis=1)
            exact = terms[:, 0]
            for j in range(1, inner):
                exact = step(exact, terms[:, j])
        np.testing.assert_array_equal(actual, exact)  # left to right, as documented
        finite = np.isfinite(approximate)
        np.testing.assert_array_equal(np.isfinite(actual), finite)
        np.testing.assert_allclose(actual[finite], approximate[finite], rtol=1e-12, atol=1e-280)


def interpolate(x, xs, ys):
    """The documented INTERP, element by element: exact reference."""
    x = np.asarray(x, dtype=float)
    i = np.clip(np.searchsorted(xs, x, side="right") - 1, 0, max(len(xs) - 2, 0))
    if len(xs) == 1:
        result = np.full_like(x, ys[0])
    else:
        with np.errstate(all="ignore"):
            weight = (x - xs[i]) / (xs[i + 1] - xs[i])
            result = ys[i] + weight * (ys[i + 1] - ys[i])
        result = np.where(x <= xs[0], ys[0], np.where(x >= xs[-1], ys[-1], result))
    return np.where(np.isnan(x), np.nan, result)


def test_interpolate_reference_agrees_with_numpy():
    xs, ys = np.array([0.0, 1.0, 2.5, 7.0]), np.array([3.0, -1.0, 4.0, 4.5])
    x = np.linspace(-1, 8, 101)
    np.testing.assert_allclose(interpolate(x, xs, ys), np.interp(x, xs, ys), rtol=1e-14, atol=1e-14)


@pytest.mark.parametrize("lanes", LANES)
def test_interp(lanes):
    machine = Machine(lanes, seed=5)
    machine.work_inputs[:, :] = machine.rng.uniform(-2.0, 12.0, (INPUT_ROWS, lanes))
    machine.work_inputs[:4, 0] = [np.nan, -np.inf, np.inf, 10.0]
    machine.work_inputs[4:8, -1] = [0.0, 1.0, 2.5, 9.999]
    grids = {1: [3.0], 2: [0.0, 10.0], 6: [0.0, 1.0, 2.5, 2.6, 7.0, 10.0]}
    shared, rows, checks = [], [], []
    size = 10
    for count, grid in grids.items():
        grid_offset = len(shared)
        shared.extend(grid)
        tables_offset = len(shared)
        tables = machine.rng.normal(0, 5, (3, count))
        shared.extend(tables.ravel())
        for kind in INPUT_KINDS:
            if kind[0] != vm.WORK:
                continue  # A is drawn from work here; other spaces are read alike
            a = machine.input(kind, size)
            scalar_b = (vm.SHARED, tables_offset + count, vm.SCALAR, 0)
            start = len(machine.index)
            table_rows = machine.rng.integers(0, 3, size)
            machine.index.extend((table_rows * count).tolist())
            gather_b = (vm.SHARED, tables_offset, vm.GATHER, start)
            for b, ys in (
                (scalar_b, np.repeat(tables[1][None], size, 0)),
                (gather_b, tables[table_rows]),
            ):
                out = INPUT_ROWS + len(rows) * size
                rows.append(operation(vm.INTERP, out, size, count, grid_offset, a, b))
                checks.append((a, np.array(grid), ys))
    machine.shared = np.concatenate([np.array(shared), np.zeros(SHARED_SIZE)])[:SHARED_SIZE]
    assert len(shared) <= SHARED_SIZE
    work = machine.run(table(rows), len(rows) * size)
    for number, (a, grid, ys) in enumerate(checks):
        x = machine.read(a, machine.cells(a, size))
        actual = work[INPUT_ROWS + number * size : INPUT_ROWS + (number + 1) * size]
        for k in range(size):
            np.testing.assert_array_equal(actual[k], interpolate(x[k], grid, ys[k]))
            # NaN gives NaN (np.interp on a one-point grid would give its y value)
            expected = np.where(np.isnan(x[k]), np.nan, np.interp(x[k], grid, ys[k]))
            np.testing.assert_allclose(actual[k], expected, rtol=1e-13, atol=1e-13)
        clamped = x >= grid[-1]
        np.testing.assert_array_equal(
            actual[clamped], np.broadcast_to(ys[:, -1:], x.shape)[clamped]
        )


@pytest.mark.parametrize("lanes", LANES)
def test_interp_reads_members_and_shared(lanes):
    """A of INTERP from the member and shared spaces, gathered."""
    machine = Machine(lanes, seed=9)
    machine.shared[:3] = [0.0, 1.0, 4.0]  # grid
    machine.shared[3:6] = [10.0, 20.0, -5.0]  # y values
    machine.members[:, :] = machine.rng.uniform(-1, 5, machine.members.shape)
    machine.shared[10:] = machine.rng.uniform(-1, 5, SHARED_SIZE - 10)
    rows, specs = [], []
    for space in (vm.SHARED, vm.MEMBER):
        a = machine.input((space, vm.GATHER), 8)
        a = (a[0], 10, a[2], a[3])  # cells 10.. hold the x values
        rows.append(operation(vm.INTERP, INPUT_ROWS + len(rows) * 8, 8, 3, 0, a, (1, 3, 1, 0)))
        specs.append(a)
    work = machine.run(table(rows), 16)
    for number, a in enumerate(specs):
        x = machine.read(a, machine.cells(a, 8))
        actual = work[INPUT_ROWS + 8 * number : INPUT_ROWS + 8 * (number + 1)]
        xs, ys = np.array([0.0, 1.0, 4.0]), np.array([10.0, 20.0, -5.0])
        np.testing.assert_array_equal(actual, interpolate(x, xs, ys))
        np.testing.assert_allclose(actual, np.interp(x, xs, ys), rtol=1e-14, atol=1e-13)


@pytest.mark.parametrize("lanes", LANES)
def test_scatter(lanes):
    machine = Machine(lanes, seed=11)
    target = INPUT_ROWS
    positions = [5, 0, 17, 3, 9]
    start = len(machine.index)
    machine.index.extend(positions)
    contiguous = (vm.WORK, 2, vm.CONTIGUOUS, 0)
    shared_scalar = (vm.SHARED, 4, vm.SCALAR, 0)
    members = (vm.MEMBER, 1, vm.CONTIGUOUS, 0)
    ops = table(
        [
            operation(vm.COPY, target, 20, 0, 0, (vm.WORK, 20, vm.CONTIGUOUS, 0)),
            operation(vm.SCATTER, target, 5, 0, start, contiguous),
            operation(vm.COPY, target + 20, 20, 0, 0, (vm.WORK, 20, vm.CONTIGUOUS, 0)),
            operation(vm.SCATTER, target + 20, 3, 0, start, shared_scalar),
            operation(vm.COPY, target + 40, 20, 0, 0, (vm.WORK, 20, vm.CONTIGUOUS, 0)),
            operation(vm.SCATTER, target + 40, 5, 0, start, members),
        ]
    )
    work = machine.run(ops, 60)
    old = machine.work_inputs[20:40]
    for number, (spec, count) in enumerate(((contiguous, 5), (shared_scalar, 3), (members, 5))):
        expected = old.copy()
        expected[positions[:count]] = machine.read(spec, machine.cells(spec, count))
        np.testing.assert_array_equal(
            work[target + 20 * number : target + 20 * (number + 1)], expected
        )


def test_single_lane_reads_the_right_member():
    members = np.arange(12.0).reshape(2, 6)  # member m of row p holds 6 p + m
    ops = table([operation(vm.COPY, 0, 2, 0, 0, (vm.MEMBER, 0, vm.CONTIGUOUS, 0))])
    for first in range(6):
        work = np.zeros((2, 1))
        vm.evaluate(ops, np.zeros(1, np.int64), np.zeros(1), members, work, first)
        np.testing.assert_array_equal(work[:, 0], [first, 6 + first])


def test_unknown_opcode_raises():
    ops = table([operation(99, 0, 1)])
    with pytest.raises(ValueError, match="unknown opcode"):
        vm.evaluate(ops, np.zeros(1, np.int64), np.zeros(1), np.zeros((0, 1)), np.zeros((2, 1)), 0)


def test_check_tape_names_the_faulty_column():
    index = np.array([0, 1, 2, 60], dtype=np.int64)
    good = operation(
        vm.ADD, 10, 3, 0, 0, (vm.WORK, 0, vm.CONTIGUOUS, 0), (vm.SHARED, 1, vm.GATHER, 0)
    )
    assert vm.check_tape(table([good]), index, 5, 0, 20) == (-1, -1)
    cases = {
        vm.OPCODE: operation(99, 10, 3),
        vm.OUT: operation(vm.COPY, 18, 3),
        vm.A_OFFSET: operation(vm.COPY, 10, 3, 0, 0, (vm.WORK, 8, vm.CONTIGUOUS, 0)),  # overlap
        vm.B_OFFSET: operation(vm.ADD, 10, 3, 0, 0, (0, 0, 0, 0), (vm.SHARED, 3, vm.GATHER, 0)),
        vm.B_INDEX: operation(vm.ADD, 10, 3, 0, 0, (0, 0, 0, 0), (vm.SHARED, 0, vm.GATHER, 2)),
        vm.C_SPACE: operation(vm.WHERE, 10, 3, 0, 0, (0, 0, 0, 0), (0, 0, 0, 0), (7, 0, 0, 0)),
        vm.INNER: operation(vm.REDUCE_SUM, 10, 3, 0, 0, (vm.WORK, 0, vm.GATHER, 0)),
        vm.A_MODE: operation(vm.REDUCE_SUM, 10, 1, 2, 0, (vm.WORK, 0, vm.CONTIGUOUS, 0)),
        vm.AUX: operation(vm.SCATTER, 10, 2, 0, 2, (vm.WORK, 0, vm.CONTIGUOUS, 0)),
        vm.B_SPACE: operation(vm.INTERP, 10, 1, 2, 0, (0, 0, 0, 0), (vm.WORK, 0, vm.SCALAR, 0)),
    }
    for column, bad in cases.items():
        assert vm.check_tape(table([good, bad]), index, 5, 0, 20) == (1, column), column


# ---- integration -----------------------------------------------------------------------

TIME, HELD, STATES = 0, 1, 2  # work rows of the test models; derivatives follow the states


def decay_tape(n_state):
    """dy/dt = (-k) y: the derivative rows are the states times member constants -k."""
    derivatives = STATES + n_state
    states = (vm.WORK, STATES, vm.CONTIGUOUS, 0)
    minus_k = (vm.MEMBER, 0, vm.CONTIGUOUS, 0)
    ops = table([operation(vm.MULTIPLY, derivatives, n_state, 0, 0, states, minus_k)])
    return {"ops": ops, "derivatives": derivatives, "width": derivatives + n_state}


def run(model, members, initial, times, save_rows, dt, method, records, lanes=1, parallel=False):
    """``integrate`` (or ``integrate_parallel``) on fresh outputs: (out, final, failed_at).

    ``model`` holds the tape (``ops``, optional ``index`` and ``shared``), ``derivatives``
    (first derivative row) and ``width`` (work rows); states start at row ``STATES``.
    """
    n_state, member_count = initial.shape
    out = np.full((member_count, int(save_rows.max()) + 1, len(records)), -1.0)
    final = np.full_like(initial, -1.0)
    failed = np.full(member_count, np.nan)
    function = vm.integrate_parallel if parallel else vm.integrate
    function(
        model["ops"],
        model.get("index", np.zeros(1, np.int64)),
        model.get("shared", np.zeros(1)),
        members,
        np.zeros(model["width"]),
        STATES,
        n_state,
        model["derivatives"],
        TIME,
        HELD,
        initial,
        times,
        save_rows,
        dt,
        method,
        np.asarray(records, dtype=np.int64),
        lanes,
        out,
        final,
        failed,
    )
    return out, final, failed


def clock(steps, dt, start=0.0):
    times = [start]
    for _ in range(steps):
        times.append(times[-1] + dt)  # accumulated, as the engine's clock
    return np.array(times)


@pytest.mark.parametrize("method", [vm.EULER, vm.RK4])
def test_decay_against_recurrences(method):
    steps, dt = 40, 0.125
    rates = np.array([[0.5, 1.0, 2.0, 0.1], [3.0, 0.2, 0.7, 1.5]])  # k of (state, member)
    initial = np.array([[1.0, 2.0, -3.0, 100.0], [5.0, 0.5, 1.0, -1.0]])
    save_rows = np.arange(steps + 1)
    records = [STATES, STATES + 1]
    out, final, failed = run(
        decay_tape(2), -rates, initial, clock(steps, dt), save_rows, dt, method, records, 3
    )
    h = -rates * dt
    factor = 1 + h if method == vm.EULER else 1 + h + h**2 / 2 + h**3 / 6 + h**4 / 24
    expected = initial[None] * factor[None] ** np.arange(steps + 1)[:, None, None]
    np.testing.assert_allclose(out.transpose(1, 2, 0), expected, rtol=1e-14)
    np.testing.assert_allclose(final, expected[-1], rtol=1e-14)
    # bit for bit against the numpy expressions of the engine's integrators
    y = initial.copy()
    for _ in range(steps):
        if method == vm.EULER:
            y = y + (y * -rates) * dt
        else:
            k1 = y * -rates
            k2 = (y + k1 * (dt / 2)) * -rates
            k3 = (y + k2 * (dt / 2)) * -rates
            k4 = (y + k3 * dt) * -rates
            y = y + (k1 + 2 * k2 + 2 * k3 + k4) * (dt / 6)
    np.testing.assert_array_equal(final, y)
    assert np.isnan(failed).all()


@pytest.mark.parametrize("method", [vm.EULER, vm.RK4])
def test_stage_and_held_times(method):
    """dy/dt = time - held time: 0 for Euler; RK4 stages see t, t + dt/2, t + dt, held t."""
    steps, dt, start = 6, 0.25, 3.0
    time, held = (vm.WORK, TIME, vm.CONTIGUOUS, 0), (vm.WORK, HELD, vm.CONTIGUOUS, 0)
    model = {"ops": table([operation(vm.SUBTRACT, 3, 1, 0, 0, time, held)]), "derivatives": 3}
    model["width"] = 4
    initial = np.array([[1.0, -2.0]])
    times = clock(steps, dt, start)
    save_rows = np.where(np.arange(steps + 1) % 2 == 0, np.arange(steps + 1) // 2, -1)
    records = [TIME, HELD, STATES, 3]
    out, final, _ = run(model, np.zeros((0, 2)), initial, times, save_rows, dt, method, records)
    saved = np.broadcast_to(times[::2], (2, len(times[::2])))
    np.testing.assert_array_equal(out[:, :, 0], saved)
    np.testing.assert_array_equal(out[:, :, 1], saved)
    np.testing.assert_array_equal(out[:, :, 3], 0.0)  # recorded from the first evaluation
    y = initial.copy()
    for t in times[:-1]:
        if method == vm.RK4:
            k2 = (t + dt / 2) - t
            k4 = (t + dt) - t
            y = y + (0.0 + 2 * k2 + 2 * k2 + k4) * (dt / 6)
    np.testing.assert_array_equal(final, y)
    if method == vm.RK4:
        np.testing.assert_allclose(final, initial + steps * dt**2 / 2, rtol=1e-14)


def test_saving_and_failure_times():
    steps, dt = 12, 1.0
    rates = np.array([[0.5, -1000.0, 0.1, -10.0]])  # members 1 and 3 grow
    initial = np.array([[1.0, 1e300, 2.0, 1.0]])
    model = decay_tape(1)
    save_rows = np.full(steps + 1, -1)
    save_rows[::3] = np.arange(5)  # saved at t = 0, 3, 6, 9, 12
    records = [STATES, model["derivatives"], TIME]
    out, final, failed = run(
        model, -rates, initial, clock(steps, dt), save_rows, dt, vm.EULER, records, 2
    )
    np.testing.assert_array_equal(out[:, :, 2], np.broadcast_to([0, 3, 6, 9, 12], (4, 5)))
    with np.errstate(all="ignore"):
        expected = np.array([initial[0] * (1 - rates[0] * dt) ** n for n in (0, 3, 6, 9, 12)])
        np.testing.assert_allclose(out[:, :, 0], expected.T, rtol=1e-14)
    assert failed[1] == 3.0  # 1e300 * 1001**3 overflows: failed at the second save
    assert np.isnan(failed[[0, 2, 3]]).all()  # member 3 reaches 11**12: large but finite
    assert not np.isfinite(final[0, 1]) and np.isfinite(final[0, [0, 2, 3]]).all()


def test_no_steps():
    model = decay_tape(1)
    initial = np.array([[4.0, 5.0]])
    records = [STATES, model["derivatives"], TIME]
    members = np.array([[-1.0, -2.0]])
    times, save_rows = np.array([2.0]), np.array([0])
    out, final, _ = run(model, members, initial, times, save_rows, 0.5, vm.RK4, records)
    np.testing.assert_array_equal(out[:, 0], [[4.0, -4.0, 2.0], [5.0, -10.0, 2.0]])
    np.testing.assert_array_equal(final, initial)


def mixed_model():
    """Logistic growth with a lookup, reading every space and most kinds of operation.

    Work rows: 0 time, 1 held time, 2-4 states, 5-7 derivatives, 8-22 scratch.
    """
    work = vm.WORK
    ops = [
        # y / capacity, 1 - y / capacity
        operation(vm.DIVIDE, 8, 3, 0, 0, (work, 2, 0, 0), (vm.SHARED, 6, vm.SCALAR, 0)),
        operation(vm.SUBTRACT, 11, 3, 0, 0, (vm.SHARED, 5, vm.SCALAR, 0), (work, 8, 0, 0)),
        # a seasonal factor looked up from the time, times the members' rates
        operation(vm.INTERP, 14, 1, 3, 0, (work, 0, vm.SCALAR, 0), (vm.SHARED, 3, vm.SCALAR, 0)),
        operation(vm.MULTIPLY, 15, 3, 0, 0, (vm.MEMBER, 0, 0, 0), (work, 14, vm.SCALAR, 0)),
        operation(vm.MULTIPLY, 18, 3, 0, 0, (work, 15, 0, 0), (work, 11, 0, 0)),
        # derivatives: rate * (1 - y / capacity) * y, y gathered
        operation(vm.MULTIPLY, 5, 3, 0, 0, (work, 18, 0, 0), (work, 2, vm.GATHER, 6)),
        # auxiliaries recorded only
        operation(vm.SUMPROD, 21, 1, 3, 0, (work, 0, vm.GATHER, 0), (work, 0, vm.GATHER, 3)),
        operation(
            vm.WHERE, 22, 1, 0, 0, (work, 21, 1, 0), (vm.SHARED, 4, 1, 0), (vm.SHARED, 3, 1, 0)
        ),
    ]
    return {
        "ops": table(ops),
        "index": np.array([2, 3, 4, 4, 3, 2, 0, 1, 2], dtype=np.int64),
        "shared": np.array([0.0, 5.0, 10.0, 0.5, 2.0, 1.0, 100.0]),  # grid, lookup, 1, capacity
        "derivatives": 5,
        "width": 23,
    }


@pytest.mark.parametrize("method", [vm.EULER, vm.RK4])
def test_results_do_not_depend_on_lanes(method):
    """Seven members in blocks of 1, 3 and 8 lanes, serial and parallel: identical bits."""
    model = mixed_model()
    width = model["width"]
    assert vm.check_tape(model["ops"], model["index"], 7, 3, width) == (-1, -1)
    rng = np.random.default_rng(3)
    members = rng.uniform(0.1, 0.9, (3, 7))
    initial = rng.uniform(1.0, 20.0, (3, 7))
    initial[1, 4] = np.nan  # one failing member
    steps, dt = 50, 0.25
    save_rows = np.where(np.arange(steps + 1) % 5 == 0, np.arange(steps + 1) // 5, -1)
    arguments = (model, members, initial, clock(steps, dt), save_rows, dt, method, range(width))
    results = [
        run(*arguments, lanes, parallel)
        for lanes, parallel in ((1, False), (3, False), (8, False), (3, True), (2, True))
    ]
    for other in results[1:]:
        for first, second in zip(results[0], other, strict=True):
            np.testing.assert_array_equal(first, second)
    out, final, failed = results[0]
    assert failed[4] == 0.0 and np.isnan(np.delete(failed, 4)).all()
    assert np.isfinite(np.delete(final, 4, axis=1)).all()
    growing = np.delete(out[:, :, 2:5], 4, axis=0)  # logistic growth below the capacity
    assert (np.diff(growing, axis=1) > 0).all() and (growing < 100).all()


def test_integrate_refuses_unknown_methods_and_empty_blocks():
    model = decay_tape(1)
    arguments = (model, np.array([[-1.0]]), np.array([[1.0]]), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="method"):
        run(*arguments, np.array([0, 1]), 1.0, 2, [STATES])
    with pytest.raises(ValueError, match="lanes"):
        run(*arguments, np.array([0, 1]), 1.0, vm.EULER, [STATES], 0)
