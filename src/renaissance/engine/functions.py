"""Vensim built-in functions as element-wise numpy operations.

Each function takes numpy arrays (or floats) that already broadcast against each other
and returns an array. Semantics follow Vensim as PySD 3.14 implements them (see
``docs/engine.md``); thresholds use Vensim's "small" number 1e-6.
"""

from __future__ import annotations

import numpy as np

from renaissance.engine import tape

SMALL = 1e-6
"""What Vensim treats as zero in ZIDZ, XIDZ, MODULO, QUANTUM and the time inputs."""


def _safe_divide(a, b, fill):
    # one pass over the output: divide only where |b| >= small (numpy ``where=``),
    # instead of dividing everywhere and selecting afterwards (3x faster on large arrays)
    if tape.is_traced(a, b, fill):
        return tape.safe_divide(a, b, fill, SMALL)
    b = np.asarray(b)
    ok = ~(np.abs(b) < SMALL)  # a NaN denominator must give NaN, as in PySD
    out = np.empty(np.broadcast(a, b, fill).shape)  # np.broadcast: C, unlike broadcast_shapes
    if ok.all():  # usual case: no pass writing the fill value first
        return np.divide(a, b, out=out)
    out[...] = fill
    np.divide(a, b, out=out, where=ok)
    return out


def zidz(a, b):
    """``a / b``, or 0 where ``|b| < 1e-6``."""
    return _safe_divide(a, b, 0.0)


def xidz(a, b, x):
    """``a / b``, or ``x`` where ``|b| < 1e-6``."""
    return _safe_divide(a, b, x)


def integer(x):
    """Truncation toward zero (Vensim INTEGER)."""
    return np.trunc(x)


def quantum(a, q):
    """``q * trunc(a / q)``, or ``a`` where ``q < 1e-6``."""
    small = np.less(q, SMALL)
    return np.where(small, a, q * np.trunc(np.divide(a, np.where(small, 1.0, q))))


def modulo(x, m):
    """``x - QUANTUM(x, m)``: the remainder with the sign of ``x``."""
    return x - quantum(x, m)


def log(x, base):
    """Logarithm of ``x`` in ``base``."""
    return np.log(x) / np.log(base)


def power(a, b):
    return np.power(a, b)


def if_then_else(condition, true_value, false_value):
    """Both branches are evaluated; the run loop silences floating-point warnings."""
    if tape.is_traced(condition, true_value, false_value):
        return tape.select(condition, true_value, false_value)
    chosen = np.asarray(condition) != 0
    out = np.empty(np.broadcast(chosen, true_value, false_value).shape)
    out[...] = false_value
    np.copyto(out, true_value, where=chosen)
    return out


def step(time, dt, height, start):
    """Vensim STEP: ``height`` once ``time + dt/2 > start``."""
    return height * (time + dt / 2 > start)


def ramp(time, slope, start, end=None):
    """Vensim RAMP: ``slope * (min(end, time) - start)`` after ``start``."""
    final = time if end is None else np.minimum(end, time)
    return (time + SMALL > start) * slope * (final - start)


def pulse(time, start, width):
    """Vensim PULSE: 1 in ``[start, start + width)``."""
    return ((start - SMALL <= time) & (time < start + width)).astype(float)


def pulse_train(time, start, interval, width, end):
    """Vensim PULSE TRAIN (arguments in PySD's order: start, interval, width, end)."""
    single = (start - SMALL <= time) & (time < start + width)
    safe = np.where(interval == 0, 1.0, interval)
    train = (start <= time) & (time < end) & (np.mod(time - start + SMALL, safe) < width)
    return np.where(interval == 0, single, train).astype(float)


ELEMENTWISE = {
    "abs": (np.abs, 1),
    "exp": (np.exp, 1),
    "ln": (np.log, 1),
    "log": (log, 2),
    "sqrt": (np.sqrt, 1),
    "power": (power, 2),
    "sin": (np.sin, 1),
    "cos": (np.cos, 1),
    "tan": (np.tan, 1),
    "arcsin": (np.arcsin, 1),
    "arccos": (np.arccos, 1),
    "arctan": (np.arctan, 1),
    "sinh": (np.sinh, 1),
    "cosh": (np.cosh, 1),
    "tanh": (np.tanh, 1),
    "min": (np.minimum, 2),
    "max": (np.maximum, 2),
    "integer": (integer, 1),
    "modulo": (modulo, 2),
    "quantum": (quantum, 2),
    "zidz": (zidz, 2),
    "xidz": (xidz, 3),
    "if_then_else": (if_then_else, 3),
}
"""Vensim name -> (numpy function, number of arguments)."""

TIME_INPUTS = {"step": 2, "ramp": (2, 3), "pulse": 2, "pulse_train": 4}
"""Functions of simulated time, held at the start of a step inside RK stages."""

REDUCTIONS = {"sum": np.sum, "prod": np.prod, "vmin": np.min, "vmax": np.max}
"""Vector functions reducing over the ``Dim!`` axes of their argument."""
