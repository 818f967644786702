"""Record one evaluation of a compiled plan as a flat tape of simple operations.

The plan (:mod:`renaissance.engine.plan`) is a tree of numpy closures; the Python
overhead of calling them (about 630 numpy calls a step on the showcase model) is what
limits a single run. Tracing calls the same closures once with :class:`Tracer` values
standing for everything that changes during a run (the states, the time and what is
computed from them) and for every constant read from the run environment. Each numpy
operation a tracer meets is recorded as one operation of the tape: element-wise
functions with broadcasting, reductions, sums of products, clamped interpolation and
data movement (indexing, transposes, reshapes), the last lowered to gathers by applying
the same numpy operation to an array of cell numbers. The tape is then executed by the
Numba virtual machine in :mod:`renaissance.engine.vm`, one member (or a block of
members) at a time.

Tracing is exact or it stops: whatever the tape cannot express faithfully raises
:class:`TraceError` and the run uses the numpy plan. That includes any attempt to turn
a traced value into a plain array or a Python number (a branch on a computed value, a
copy into a plain array), any operation that mixes ensemble members (the member axis,
axis 0, must pass through untouched) and any numpy function not listed here. Every
tracer also carries the value numpy computes for the first member, so that the
finished tape is checked against numpy before it is used (:mod:`renaissance.engine.compiled`).
"""

from __future__ import annotations

import numpy as np

WORK, SHARED = 0, 1
CONTIGUOUS, SCALAR, GATHER = 0, 1, 2


class TraceError(Exception):
    """The evaluation cannot be recorded as a tape (the message says what stopped it)."""


# -- numpy function -> virtual-machine operation names ------------------------------------
UNARY = {
    np.negative: "NEGATIVE",
    np.positive: "COPY",
    np.absolute: "ABSOLUTE",
    np.exp: "EXP",
    np.log: "LOG",
    np.log10: "LOG10",
    np.sqrt: "SQRT",
    np.sin: "SIN",
    np.cos: "COS",
    np.tan: "TAN",
    np.arcsin: "ARCSIN",
    np.arccos: "ARCCOS",
    np.arctan: "ARCTAN",
    np.sinh: "SINH",
    np.cosh: "COSH",
    np.tanh: "TANH",
    np.trunc: "TRUNC",
    np.floor: "FLOOR",
    np.ceil: "CEIL",
    np.sign: "SIGN",
    np.logical_not: "LOGICAL_NOT",
    np.isfinite: "ISFINITE",
    np.isnan: "ISNAN",
    np.square: "SQUARE",
    np.reciprocal: "RECIPROCAL",
}
BINARY = {
    np.add: "ADD",
    np.subtract: "SUBTRACT",
    np.multiply: "MULTIPLY",
    np.divide: "DIVIDE",
    np.power: "POWER",
    np.float_power: "POWER",
    np.minimum: "MINIMUM",
    np.maximum: "MAXIMUM",
    np.fmin: "FMIN",
    np.fmax: "FMAX",
    np.equal: "EQUAL",
    np.not_equal: "NOT_EQUAL",
    np.less: "LESS",
    np.less_equal: "LESS_EQUAL",
    np.greater: "GREATER",
    np.greater_equal: "GREATER_EQUAL",
    np.logical_and: "LOGICAL_AND",
    np.logical_or: "LOGICAL_OR",
    np.logical_xor: "LOGICAL_XOR",
    np.mod: "MOD",
    np.fmod: "FMOD",
    np.floor_divide: "FLOOR_DIVIDE",
    np.arctan2: "ARCTAN2",
    np.hypot: "HYPOT",
}
BOOLEAN = {np.bitwise_and: np.logical_and, np.bitwise_or: np.logical_or,
           np.bitwise_xor: np.logical_xor, np.invert: np.logical_not}  # fmt: skip
"""Bit operations that mean logical ones on booleans (``&``, ``|``, ``^``, ``~``)."""
REDUCERS = {np.add: "REDUCE_SUM", np.multiply: "REDUCE_PROD",
            np.minimum: "REDUCE_MIN", np.maximum: "REDUCE_MAX"}  # fmt: skip
COMPARISONS = {"EQUAL", "NOT_EQUAL", "LESS", "LESS_EQUAL", "GREATER", "GREATER_EQUAL",
               "LOGICAL_AND", "LOGICAL_OR", "LOGICAL_XOR", "LOGICAL_NOT", "ISFINITE",
               "ISNAN"}  # fmt: skip


class Slot:
    """Where a traced value lives: rows of the work array, or an environment input.

    Attributes
    ----------
    space : int
        :data:`WORK` (rows ``offset .. offset + size`` of the work array) or ``-1 - i``
        for input ``i`` (a constant of the run environment, placed at binding time).
    offset : int
    """

    __slots__ = ("offset", "space")

    def __init__(self, space: int, offset: int):
        self.space = space
        self.offset = offset


class Tape:
    """The recorded operations, the constants they read and the work rows they use.

    Attributes
    ----------
    names : list of str
        Operation name of each row (virtual-machine opcode names).
    rows : list of list of int
        One row of 17 integers per operation, laid out as the ``ops`` table of
        :mod:`renaissance.engine.vm` (input spaces of environment inputs still
        symbolic, ``-1 - input``).
    shared : list of ndarray
        Constants of the tape (lookup grids, index-free literals), concatenated at
        binding time; offsets count from the start of this list.
    index : list of ndarray
        Gather and position arrays, concatenated (int64).
    inputs : list of str
        Environment keys read as constants, in order of first use.
    input_shapes : list of tuple
        Shape (without the member axis) each input had when traced.
    work_size : int
        Rows of the work array used.
    references : list of ndarray
        numpy's value of each operation's output rows for the first member, in order
        (to locate the first operation that disagrees when a tape fails its check).
    """

    def __init__(self):
        self.names: list[str] = []
        self.rows: list[list[int]] = []
        self.shared: list[np.ndarray] = []
        self.shared_size = 0
        self.scalars: dict[float, int] = {}
        self.index: list[np.ndarray] = []
        self.index_size = 0
        self.inputs: list[str] = []
        self.input_shapes: list[tuple[int, ...]] = []
        self.input_tracers: dict[str, Tracer] = {}
        self.work_size = 0
        self.references: list[np.ndarray] = []

    # -- storage -----------------------------------------------------------------------
    def allocate(self, size: int) -> int:
        offset = self.work_size
        self.work_size += int(size)
        return offset

    def constant(self, values: np.ndarray) -> int:
        """Offset in the shared constants of ``values`` (raveled, float64)."""
        flat = np.asarray(values, dtype=float).ravel()
        if flat.size == 1:
            number = float(flat[0])
            key = number if number == number else "nan"
            if key not in self.scalars:
                self.scalars[key] = self._append_shared(flat)
            return self.scalars[key]
        return self._append_shared(flat)

    def _append_shared(self, flat: np.ndarray) -> int:
        offset = self.shared_size
        self.shared.append(flat)
        self.shared_size += flat.size
        return offset

    def positions(self, array: np.ndarray) -> int:
        flat = np.ascontiguousarray(array, dtype=np.int64).ravel()
        offset = self.index_size
        self.index.append(flat)
        self.index_size += flat.size
        return offset

    # -- values ------------------------------------------------------------------------
    def input(self, key: str, value: np.ndarray) -> Tracer:
        """The tracer standing for environment constant ``key`` (member 0's value)."""
        tracer = self.input_tracers.get(key)
        if tracer is None:
            first = np.asarray(value)[:1]
            number = len(self.inputs)
            self.inputs.append(key)
            self.input_shapes.append(first.shape[1:])
            tracer = Tracer(self, Slot(-1 - number, 0), np.array(first, dtype=float))
            self.input_tracers[key] = tracer
        return tracer

    def work_value(self, value: np.ndarray) -> Tracer:
        """A tracer on fresh work rows (written by the caller or by the machine)."""
        value = np.asarray(value)
        check_member_shape(value.shape)
        return Tracer(self, Slot(WORK, self.allocate(value.size)), value)

    # -- operands ----------------------------------------------------------------------
    def operand(self, x, out_shape: tuple[int, ...]) -> list[int]:
        """``[space, offset, mode, index offset]`` reading ``x`` at every output cell."""
        if isinstance(x, Tracer):
            shape = x.shape
            if len(shape) != len(out_shape):
                raise TraceError(f"a traced value of shape {shape} broadcast to {out_shape}")
            space, offset = x.slot.space, x.slot.offset
        else:
            x = np.asarray(x, dtype=float)
            shape = x.shape
            if len(shape) > len(out_shape):
                raise TraceError(f"a constant of shape {shape} widens a result {out_shape}")
            space, offset = SHARED, self.constant(x)
        size = int(np.prod(shape))
        if size == 1:
            return [space, offset, SCALAR, 0]
        if tuple(shape) == tuple(out_shape):
            return [space, offset, CONTIGUOUS, 0]
        cells = np.broadcast_to(np.arange(size).reshape(shape), out_shape)
        return [space, offset, GATHER, self.positions(cells)]

    def emit(self, name: str, out: Tracer, operands=(), inner: int = 0, aux: int = 0) -> None:
        row = [0, out.slot.offset, out.size, inner, aux]
        for fields in operands:
            row.extend(fields)
        row.extend([0] * (17 - len(row)))
        self.names.append(name)
        self.rows.append(row)
        self.references.append(np.asarray(out.value, dtype=float).ravel())

    # -- operations --------------------------------------------------------------------
    def elementwise(self, name: str, args, value: np.ndarray) -> Tracer:
        value = np.asarray(value)
        out = self.work_value(value)
        self.emit(name, out, [self.operand(a, value.shape) for a in args])
        return out

    def gather(self, source, cells: np.ndarray, value: np.ndarray) -> Tracer:
        """Result whose cell k is cell ``cells[k]`` of ``source`` (data movement)."""
        value = np.asarray(value)
        out = self.work_value(value)
        if isinstance(source, Tracer):
            space, offset = source.slot.space, source.slot.offset
        else:
            space, offset = SHARED, self.constant(source)
        flat = np.asarray(cells).ravel()
        if flat.size == 1:
            operand = [space, offset + int(flat[0]), SCALAR, 0]
        elif np.array_equal(flat, np.arange(flat.size)):
            operand = [space, offset, CONTIGUOUS, 0]
        else:
            operand = [space, offset, GATHER, self.positions(flat)]
        self.emit("COPY", out, [operand])
        return out

    def reduce(self, name: str, source: Tracer, axes: tuple[int, ...], value) -> Tracer:
        shape = source.shape
        if 0 in axes:
            raise TraceError("a reduction over the member axis")
        cells = np.moveaxis(
            np.arange(source.size).reshape(shape), axes, range(-len(axes), 0)
        ).reshape(-1, int(np.prod([shape[a] for a in axes])))
        out = self.work_value(value)
        space, offset = source.slot.space, source.slot.offset
        self.emit(name, out, [[space, offset, GATHER, self.positions(cells)]], cells.shape[1])
        return out

    def scatter(self, target: Tracer, index, value) -> None:
        """``target[index] = value``: the tracer moves to new rows holding the result."""
        check_member_index(index, target.ndim)
        positions = np.arange(target.size).reshape(target.shape)[index]
        new_value = np.array(target.value, dtype=np.result_type(target.value, float))
        out = self.work_value(new_value.copy())
        if not getattr(target, "blank", False):
            self.emit("COPY", out, [self.operand(target, target.shape)])
        new_value[index] = unwrap(value)
        out.value = new_value
        if positions.size:
            if positions.ndim == 0:
                raise TraceError("an assignment that drops the member axis")
            row = [0, out.slot.offset, positions.size, 0, self.positions(positions)]
            row.extend(self.operand(value, positions.shape))
            row.extend([0] * (17 - len(row)))
            self.names.append("SCATTER")
            self.rows.append(row)
            self.references.append(np.asarray(new_value, dtype=float).ravel())
        target.slot, target.value = out.slot, out.value
        target.blank = False


def unwrap(x):
    return x.value if isinstance(x, Tracer) else x


def check_member_shape(shape: tuple[int, ...]) -> None:
    if len(shape) == 0 or shape[0] != 1:
        raise TraceError(f"a traced result of shape {shape} has no member axis")


def check_member_index(index, ndim: int) -> None:
    """Refuse an index that touches the member axis (axis 0)."""
    parts = index if isinstance(index, tuple) else (index,)
    if not parts:
        return
    first = parts[0]
    if first is Ellipsis:
        used = sum(p is not None and p is not Ellipsis for p in parts)
        if used < ndim:
            return
    elif isinstance(first, slice) and first == slice(None):
        return
    raise TraceError(f"an index {index!r} touching the member axis")


def _axes(axis, ndim: int) -> tuple[int, ...]:
    if axis is None:
        raise TraceError("a reduction over every axis, the member axis included")
    axes = axis if isinstance(axis, tuple) else (axis,)
    return tuple(sorted(a % ndim for a in axes))


class Tracer:
    """A value of the traced evaluation: where it lives on the tape, and member 0's value.

    ``value`` has shape ``(1, *cells)``: the member axis first, of length 1.
    """

    __slots__ = ("blank", "slot", "tape", "value")
    __array_priority__ = 1000

    def __init__(self, tape: Tape, slot: Slot, value: np.ndarray):
        self.tape = tape
        self.slot = slot
        self.value = value
        self.blank = False

    # -- array protocol ----------------------------------------------------------------
    @property
    def shape(self):
        return self.value.shape

    @property
    def ndim(self):
        return self.value.ndim

    @property
    def size(self):
        return self.value.size

    @property
    def dtype(self):
        return self.value.dtype

    def __len__(self):
        return len(self.value)

    def __array__(self, *args, **kwargs):
        raise TraceError("a traced value is copied into a plain numpy array")

    def _refuse(self, *args, **kwargs):
        raise TraceError("a traced value is used as a Python number (a branch on it?)")

    __bool__ = __float__ = __int__ = __index__ = __complex__ = item = tolist = _refuse

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method == "reduce":
            return self._ufunc_reduce(ufunc, *inputs, **kwargs)
        if method != "__call__":
            raise TraceError(f"numpy.{ufunc.__name__}.{method}")
        out = kwargs.pop("out", None)
        where = kwargs.pop("where", True)
        kwargs.pop("casting", None)
        dtype = kwargs.pop("dtype", None)
        if kwargs or (dtype is not None and np.dtype(dtype) != np.float64):
            raise TraceError(f"numpy.{ufunc.__name__} with {sorted(kwargs)}")
        if ufunc in BOOLEAN:
            if not all(np.asarray(unwrap(x)).dtype == bool for x in inputs):
                raise TraceError(f"numpy.{ufunc.__name__} of non-boolean values")
            ufunc = BOOLEAN[ufunc]
        values = [unwrap(x) for x in inputs]
        if ufunc in UNARY and len(inputs) == 1:
            name = UNARY[ufunc]
        elif ufunc in BINARY and len(inputs) == 2:
            name = BINARY[ufunc]
        else:
            raise TraceError(f"numpy.{ufunc.__name__}")
        with np.errstate(all="ignore"):
            value = ufunc(*values)
        if name not in COMPARISONS:
            value = np.asarray(value, dtype=float)
        result = self.tape.elementwise(name, inputs, value)
        if out is None and where is True:
            return result
        target = out[0] if isinstance(out, tuple) else out
        if not isinstance(target, Tracer):
            raise TraceError(f"numpy.{ufunc.__name__} writing into a plain array")
        if where is not True:
            result = where_(where, result, target)
        target.tape.scatter(target, (Ellipsis,), result)
        return target

    def _ufunc_reduce(self, ufunc, array, axis=0, dtype=None, out=None, keepdims=False, **kw):
        if out is not None or kw or ufunc not in REDUCERS:
            raise TraceError(f"numpy.{ufunc.__name__}.reduce with these arguments")
        return reduction(REDUCERS[ufunc], array, axis, keepdims)

    def __array_function__(self, func, types, args, kwargs):
        handler = FUNCTIONS.get(func)
        if handler is None:
            raise TraceError(f"numpy.{func.__name__}")
        return handler(*args, **kwargs)

    # -- operators ---------------------------------------------------------------------
    def __add__(self, o):
        return np.add(self, o)

    def __radd__(self, o):
        return np.add(o, self)

    def __sub__(self, o):
        return np.subtract(self, o)

    def __rsub__(self, o):
        return np.subtract(o, self)

    def __mul__(self, o):
        return np.multiply(self, o)

    def __rmul__(self, o):
        return np.multiply(o, self)

    def __truediv__(self, o):
        return np.divide(self, o)

    def __rtruediv__(self, o):
        return np.divide(o, self)

    def __pow__(self, o):
        return np.power(self, o)

    def __rpow__(self, o):
        return np.power(o, self)

    def __mod__(self, o):
        return np.mod(self, o)

    def __rmod__(self, o):
        return np.mod(o, self)

    def __neg__(self):
        return np.negative(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return np.absolute(self)

    def __invert__(self):
        return np.invert(self)

    def __and__(self, o):
        return np.bitwise_and(self, o)

    def __rand__(self, o):
        return np.bitwise_and(o, self)

    def __or__(self, o):
        return np.bitwise_or(self, o)

    def __ror__(self, o):
        return np.bitwise_or(o, self)

    def __xor__(self, o):
        return np.bitwise_xor(self, o)

    def __eq__(self, o):
        return np.equal(self, o)

    def __ne__(self, o):
        return np.not_equal(self, o)

    def __lt__(self, o):
        return np.less(self, o)

    def __le__(self, o):
        return np.less_equal(self, o)

    def __gt__(self, o):
        return np.greater(self, o)

    def __ge__(self, o):
        return np.greater_equal(self, o)

    __hash__ = None

    # -- methods -----------------------------------------------------------------------
    def __getitem__(self, index):
        if isinstance(index, Tracer) or (
            isinstance(index, tuple) and any(isinstance(i, Tracer) for i in index)
        ):
            raise TraceError("an index computed from traced values")
        check_member_index(index, self.ndim)
        value = self.value[index]
        check_member_shape(value.shape)
        cells = np.arange(self.size).reshape(self.shape)[index]
        return self.tape.gather(self, cells, value)

    def __setitem__(self, index, value):
        self.tape.scatter(self, index, value)

    def reshape(self, *shape, order="C"):
        if order != "C":
            raise TraceError("a reshape in Fortran order")
        if len(shape) == 1 and isinstance(shape[0], tuple | list):
            shape = tuple(shape[0])
        if not shape or shape[0] not in (1, -1) or (shape[0] == -1 and -1 in shape[1:]):
            raise TraceError(f"a reshape to {shape} that moves the member axis")
        value = self.value.reshape((1, *shape[1:]))
        if value.shape[1:] == self.shape[1:]:
            return self
        return self.tape.gather(self, np.arange(self.size), value)

    def transpose(self, *axes):
        if len(axes) == 1 and isinstance(axes[0], tuple | list):
            axes = tuple(axes[0])
        if not axes:
            axes = tuple(reversed(range(self.ndim)))
        if axes[0] % self.ndim != 0:
            raise TraceError("a transpose that moves the member axis")
        value = self.value.transpose(axes)
        cells = np.arange(self.size).reshape(self.shape).transpose(axes)
        return self.tape.gather(self, cells, value)

    def astype(self, dtype, copy=True):
        dtype = np.dtype(dtype)
        if dtype == np.float64:
            if self.dtype in (np.bool_, np.float64):
                return Tracer(self.tape, self.slot, self.value.astype(float))
        if dtype == np.bool_:
            return self.tape.elementwise("NONZERO", [self], self.value.astype(bool))
        raise TraceError(f"a traced value cast to {dtype}")

    def copy(self):
        return self.tape.gather(self, np.arange(self.size), self.value.copy())

    def sum(self, axis=None, keepdims=False):
        return reduction("REDUCE_SUM", self, axis, keepdims)

    def prod(self, axis=None, keepdims=False):
        return reduction("REDUCE_PROD", self, axis, keepdims)

    def min(self, axis=None, keepdims=False):
        return reduction("REDUCE_MIN", self, axis, keepdims)

    def max(self, axis=None, keepdims=False):
        return reduction("REDUCE_MAX", self, axis, keepdims)

    def all(self, axis=None, keepdims=False):
        return reduction("REDUCE_MIN", self.astype(bool), axis, keepdims, bool)

    def any(self, axis=None, keepdims=False):
        return reduction("REDUCE_MAX", self.astype(bool), axis, keepdims, bool)


# -- numpy functions ------------------------------------------------------------------------
_NUMPY_REDUCERS = {"REDUCE_SUM": np.sum, "REDUCE_PROD": np.prod,
                   "REDUCE_MIN": np.min, "REDUCE_MAX": np.max}  # fmt: skip


def reduction(name: str, array, axis, keepdims=False, dtype=float) -> Tracer:
    if not isinstance(array, Tracer):
        raise TraceError("a reduction of a constant met a traced value")
    axes = _axes(axis, array.ndim)
    value = _NUMPY_REDUCERS[name](array.value, axis=axes, keepdims=keepdims).astype(dtype)
    out = array.tape.reduce(name, array, axes, value)
    return out


def where_(condition, x, y) -> Tracer:
    tape = _tape_of(condition, x, y)
    value = np.where(*(unwrap(a) for a in (condition, x, y)))
    if not isinstance(condition, Tracer):
        condition = np.asarray(condition, dtype=float)
    return tape.elementwise("WHERE", [condition, x, y], np.asarray(value, dtype=float))


def _tape_of(*args) -> Tape:
    for a in args:
        if isinstance(a, Tracer):
            return a.tape
    raise TraceError("no traced value")


def _sum(a, axis=None, dtype=None, out=None, keepdims=False, **kwargs):
    if out is not None or kwargs:
        raise TraceError("numpy.sum with out or initial")
    return reduction("REDUCE_SUM", a, axis, keepdims)


def _prod(a, axis=None, dtype=None, out=None, keepdims=False, **kwargs):
    if out is not None or kwargs:
        raise TraceError("numpy.prod with out or initial")
    return reduction("REDUCE_PROD", a, axis, keepdims)


def _min(a, axis=None, out=None, keepdims=False, **kwargs):
    if out is not None or kwargs:
        raise TraceError("numpy.min with out or initial")
    return reduction("REDUCE_MIN", a, axis, keepdims)


def _max(a, axis=None, out=None, keepdims=False, **kwargs):
    if out is not None or kwargs:
        raise TraceError("numpy.max with out or initial")
    return reduction("REDUCE_MAX", a, axis, keepdims)


def _all(a, axis=None, out=None, keepdims=False, **kwargs):
    return a.all(axis, keepdims)


def _any(a, axis=None, out=None, keepdims=False, **kwargs):
    return a.any(axis, keepdims)


def _where(condition, x=None, y=None):
    if x is None or y is None:
        raise TraceError("numpy.where with one argument (positions of traced values)")
    return where_(condition, x, y)


def _broadcast_to(array, shape, subok=False):
    shape = tuple(shape) if isinstance(shape, tuple | list) else (shape,)
    if not isinstance(array, Tracer):
        raise TraceError("numpy.broadcast_to of a constant to a traced shape")
    if len(shape) != array.ndim or shape[0] != 1:
        raise TraceError(f"numpy.broadcast_to from {array.shape} to {shape}")
    if shape == array.shape:
        return array
    cells = np.broadcast_to(np.arange(array.size).reshape(array.shape), shape)
    return array.tape.gather(array, cells, np.broadcast_to(array.value, shape).copy())


def _reshape(a, shape=None, order="C", **kwargs):
    return a.reshape(shape, order=order)


def _transpose(a, axes=None):
    return a.transpose(axes) if axes is not None else a.transpose()


def _take(a, indices, axis=None, out=None, mode="raise"):
    if not isinstance(a, Tracer) or isinstance(indices, Tracer):
        raise TraceError("numpy.take of a constant at traced positions")
    if axis is None or out is not None or axis % a.ndim == 0:
        raise TraceError("numpy.take over the member axis or flattened")
    value = np.take(a.value, indices, axis=axis)
    check_member_shape(value.shape)
    cells = np.take(np.arange(a.size).reshape(a.shape), indices, axis=axis)
    return a.tape.gather(a, cells, value)


def _take_along_axis(arr, indices, axis=None):
    if not isinstance(arr, Tracer) or isinstance(indices, Tracer):
        raise TraceError("numpy.take_along_axis at traced positions")
    if axis is None or axis % arr.ndim == 0:
        raise TraceError("numpy.take_along_axis over the member axis")
    value = np.take_along_axis(arr.value, indices, axis)
    check_member_shape(value.shape)
    cells = np.take_along_axis(np.arange(arr.size).reshape(arr.shape), indices, axis)
    return arr.tape.gather(arr, cells, value)


def _like(prototype, dtype=None, order="K", subok=True, shape=None, fill=None):
    shape = prototype.shape if shape is None else tuple(np.atleast_1d(shape))
    check_member_shape(shape)
    tape = prototype.tape
    if fill is None:
        out = tape.work_value(np.zeros(shape))
        out.blank = True
        return out
    out = tape.work_value(np.full(shape, float(fill)))
    tape.emit("COPY", out, [tape.operand(np.array(float(fill)), shape)])
    return out


def _empty_like(prototype, dtype=None, order="K", subok=True, shape=None, **kwargs):
    return _like(prototype, dtype, order, subok, shape)


def _zeros_like(a, dtype=None, order="K", subok=True, shape=None, **kwargs):
    return _like(a, dtype, order, subok, shape, 0.0)


def _ones_like(a, dtype=None, order="K", subok=True, shape=None, **kwargs):
    return _like(a, dtype, order, subok, shape, 1.0)


def _full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None, **kwargs):
    if isinstance(fill_value, Tracer):
        raise TraceError("numpy.full_like with a traced fill value")
    return _like(a, dtype, order, subok, shape, fill_value)


def _copyto(dst, src, casting="same_kind", where=True):
    if not isinstance(dst, Tracer):
        raise TraceError("numpy.copyto of a traced value into a plain array")
    value = src if where is True else where_(where, src, dst)
    dst.tape.scatter(dst, (Ellipsis,), value)


def _clip(a, a_min=None, a_max=None, out=None, **kwargs):
    if out is not None or kwargs:
        raise TraceError("numpy.clip with out")
    if a_min is not None:
        a = np.maximum(a, a_min)
    if a_max is not None:
        a = np.minimum(a, a_max)
    return a


def _shape(a):
    return unwrap(a).shape


def _ndim(a):
    return unwrap(a).ndim


def _size(a, axis=None):
    return np.size(unwrap(a), axis)


def _interp(x, xp, fp, left=None, right=None, period=None):
    if left is not None or right is not None or period is not None:
        raise TraceError("numpy.interp with left, right or period")
    if isinstance(xp, Tracer) or isinstance(fp, Tracer) or not isinstance(x, Tracer):
        raise TraceError("numpy.interp of a traced table")
    return interpolate(x, np.asarray(xp, dtype=float), np.asarray(fp, dtype=float)[None])


def interpolate(x, xs: np.ndarray, ys: np.ndarray) -> Tracer:
    """Clamped linear interpolation of traced ``x`` on grid ``xs`` (increasing) with rows
    ``ys`` (last axis on ``xs``, leading axes broadcasting against ``x``)."""
    if not isinstance(x, Tracer) or isinstance(ys, Tracer) or isinstance(xs, Tracer):
        raise TraceError("an interpolation of a traced table")
    tape = x.tape
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    n = len(xs)
    rows = ys.shape[:-1]
    if len(rows) > x.ndim or (rows and rows[0] != 1 and len(rows) == x.ndim):
        raise TraceError("an interpolation table with a member axis")
    shape = np.broadcast_shapes(x.shape, rows)
    value = _numpy_interpolate(x.value, xs, ys)
    out = tape.work_value(np.broadcast_to(value, shape).copy())
    grid = tape.constant(xs) if n > 1 else tape.constant(np.repeat(xs, 2))
    table = tape.constant(ys if ys.size > 1 else np.repeat(ys.ravel(), 2))
    row_count = int(np.prod(rows))
    if row_count == 1:
        row_operand = [SHARED, table, SCALAR, 0]
    else:
        starts = np.broadcast_to(np.arange(row_count).reshape(rows) * n, shape)
        row_operand = [SHARED, table, GATHER, tape.positions(starts)]
    tape.emit("INTERP", out, [tape.operand(x, shape), row_operand], n, grid)
    return out


def _numpy_interpolate(x, xs, ys):
    if ys.ndim == 1 or int(np.prod(ys.shape[:-1])) == 1:
        return np.interp(x, xs, ys.reshape(-1))
    from renaissance.engine.lookups import interpolate as numpy_interpolate

    return numpy_interpolate(x, xs, ys)


def _einsum(subscripts, *operands, **kwargs):
    if kwargs or not isinstance(subscripts, str) or "." in subscripts or "->" not in subscripts:
        raise TraceError("numpy.einsum beyond explicit 'ab,bc->ac' subscripts")
    inputs, output = subscripts.replace(" ", "").split("->")
    labels_in = inputs.split(",")
    if len(labels_in) != len(operands) or len(operands) not in (1, 2):
        raise TraceError("numpy.einsum of more than two operands")
    sizes: dict[str, int] = {}
    for labels, op in zip(labels_in, operands, strict=True):
        shape = np.shape(unwrap(op))
        if len(set(labels)) != len(labels) or len(labels) != len(shape):
            raise TraceError(f"numpy.einsum subscripts {subscripts!r}")
        for label, size in zip(labels, shape, strict=True):
            if sizes.setdefault(label, size) != size:
                raise TraceError(f"numpy.einsum subscripts {subscripts!r}")
    for labels, op in zip(labels_in, operands, strict=True):
        if isinstance(op, Tracer) and (not output or labels[0] != output[0]):
            raise TraceError("numpy.einsum that does not keep the member axis first")
    tape = _tape_of(*operands)
    summed = [label for label in dict.fromkeys("".join(labels_in)) if label not in output]
    order = list(output) + summed
    full = tuple(sizes[label] for label in order)
    q = int(np.prod([sizes[label] for label in summed])) if summed else 1
    value = np.einsum(subscripts, *(np.asarray(unwrap(op), dtype=float) for op in operands))
    value = np.asarray(value, dtype=float)
    out = tape.work_value(value)
    fields = []
    for labels, op in zip(labels_in, operands, strict=True):
        shape = np.shape(unwrap(op))
        cells = np.arange(int(np.prod(shape))).reshape(shape)
        present = [label for label in order if label in labels]
        cells = cells.transpose([labels.index(label) for label in present])
        cells = cells.reshape([sizes[label] if label in labels else 1 for label in order])
        cells = np.broadcast_to(cells, full).reshape(-1, q)
        if isinstance(op, Tracer):
            space, offset = op.slot.space, op.slot.offset
        else:
            space, offset = SHARED, tape.constant(op)
        fields.append([space, offset, GATHER, tape.positions(cells)])
    tape.emit("SUMPROD" if len(operands) == 2 else "REDUCE_SUM", out, fields, q)
    return out


FUNCTIONS = {
    np.sum: _sum,
    np.prod: _prod,
    np.min: _min,
    np.max: _max,
    np.amin: _min,
    np.amax: _max,
    np.all: _all,
    np.any: _any,
    np.where: _where,
    np.broadcast_to: _broadcast_to,
    np.reshape: _reshape,
    np.transpose: _transpose,
    np.take: _take,
    np.take_along_axis: _take_along_axis,
    np.empty_like: _empty_like,
    np.zeros_like: _zeros_like,
    np.ones_like: _ones_like,
    np.full_like: _full_like,
    np.copyto: _copyto,
    np.clip: _clip,
    np.shape: _shape,
    np.ndim: _ndim,
    np.size: _size,
    np.interp: _interp,
    np.einsum: _einsum,
}


# -- primitives the engine calls when it meets a tracer ---------------------------------
def is_traced(*values) -> bool:
    """Whether any of ``values`` is a :class:`Tracer` (cheap check for the numpy path)."""
    for v in values:
        if type(v) is Tracer:
            return True
    return False


def safe_divide(a, b, fill, small: float) -> Tracer:
    """``fill`` where ``|b| < small``, else ``a / b`` (ZIDZ, XIDZ)."""
    if small != 1e-6:
        raise TraceError("a safe division with a threshold other than 1e-6")
    tape = _tape_of(a, b, fill)
    va, vb, vf = (np.asarray(unwrap(v), dtype=float) for v in (a, b, fill))
    with np.errstate(all="ignore"):
        value = np.where(np.abs(vb) < small, vf, va / vb)
    return tape.elementwise("SAFE_DIVIDE", [a, b, fill], np.asarray(value, dtype=float))


def select(condition, true_value, false_value) -> Tracer:
    """IF THEN ELSE: ``true_value`` where ``condition != 0`` else ``false_value``."""
    return where_(condition, true_value, false_value)


def filled(prototypes, shape: tuple[int, ...], fill: float) -> Tracer:
    """A traced array of ``shape`` holding ``fill``, on the tape of ``prototypes``."""
    return _like(_tape_holder(prototypes), shape=shape, fill=fill)


def _tape_holder(values) -> Tracer:
    for v in values:
        if isinstance(v, Tracer):
            return v
    raise TraceError("no traced value")
