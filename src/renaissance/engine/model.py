"""Public entry points: :func:`load_model` and :class:`Model`."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import xarray as xr

from renaissance._version import __version__
from renaissance.engine import params as P
from renaissance.engine.compiler import ModelCompiler
from renaissance.engine.errors import UnsupportedFeatureError
from renaissance.engine.integrators import run_fixed
from renaissance.engine.results import to_dataset

FIXED_STEP = ("euler", "rk4")
DEFAULT_CHUNK = 2000
"""Most members per vectorised pass in ``run_ensemble`` (measured: see benchmarks/README.md)."""
CHUNK_CELLS = 1_200_000
"""Members x cells of the model's largest variable per pass with ``chunk_size="auto"``:
arrays of about 10 MB. Measured (CPU time, one session): the national roster (largest
variable 4,653 cells) ran 20 % faster in chunks of 250 than of 1,000; the showcase
roster (627 cells) was the same in chunks of 500 and 2,000 and slower in chunks of 250."""
MAX_OUTPUT_BYTES = 8 * 2**30
"""Refuse a run whose recorded results would exceed this (bytes), before integrating."""
WORK_COPIES = 6
"""Copies of every variable a fixed-step pass holds at once, in the memory estimate: the
environment, four Runge-Kutta stages and the temporaries of one evaluation."""
ADAPTIVE = ("RK45", "RK23", "DOP853", "LSODA", "BDF", "Radau")
BACKENDS = ("auto", "vm", "numpy")
"""How fixed-step runs execute the plan: ``vm`` traces the step into a tape run by the
Numba virtual machine (:mod:`renaissance.engine.compiled`), ``numpy`` calls the numpy
closures; ``auto`` uses the machine when Numba is installed and the step can be traced,
else numpy. Results agree to rounding (the tape is checked against numpy when built)."""


def read_abstract_model(path: Path, use_cache: bool = True):
    """Parse a Vensim ``.mdl`` file with PySD's translator (nothing is written beside it).

    The text is checked first (:mod:`renaissance.engine.model_text`); a parser failure is
    a :class:`~renaissance.engine.errors.ModelFileError` naming the file, line and column.
    The parsed model is cached by file content (see :mod:`renaissance.engine.cache`).
    """
    from parsimonious.exceptions import ParsimoniousError

    from renaissance.engine import cache
    from renaissance.engine.model_text import check_model_text, check_subscript_ranges

    # what PySD's parser and translator raise on text they cannot read
    parser_errors = (
        ParsimoniousError,
        RecursionError,
        ValueError,
        LookupError,
        TypeError,
        AttributeError,
        OSError,
        NotImplementedError,
    )

    text = check_model_text(Path(path))

    def parse(model_file):
        import warnings

        from pysd.translators.vensim.vensim_file import VensimFile

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # the encoding guess
                vensim = VensimFile(Path(model_file).resolve())
                vensim.parse()
                return vensim.get_abstract_model()
        except parser_errors as error:  # the parser's own exceptions, in words
            from renaissance.engine.model_text import parse_error

            raise parse_error(Path(model_file), text, error) from None

    abstract = cache.load(Path(path), parse) if use_cache else parse(path)
    check_subscript_ranges(Path(path), abstract)
    return abstract


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class Model:
    """A Vensim model compiled into a vectorised ensemble plan.

    Build it with :func:`load_model`. Every run returns an ``xarray.Dataset`` whose data
    variables are named as in the model, with subscript dims named after their ranges.

    Attributes
    ----------
    path : pathlib.Path
        The model file.
    plan : renaissance.engine.plan.Plan
        The compiled plan (variables, statefuls, evaluation orders).
    backend : {"auto", "vm", "numpy"}
        How fixed-step runs execute (see :data:`BACKENDS`); the backend a run used is
        in its ``backend`` attribute.
    """

    engine = "fast"

    def __init__(self, path: Path, plan, backend: str = "auto"):
        self.path = Path(path)
        self.plan = plan
        self.sha256 = file_sha256(self.path)
        self.backend = backend

    @property
    def backend(self) -> str:
        return self._backend

    @backend.setter
    def backend(self, value: str) -> None:
        if value not in BACKENDS:
            raise ValueError(f"backend {value!r} is not one of {BACKENDS}")
        self._backend = value

    @property
    def variable_names(self) -> list[str]:
        """Names of all variables that can be returned (lookups excluded)."""
        return [v.name for v in self.plan.variables.values() if v.kind == "aux" and not v.hidden]

    def _overrides(self, params, ensemble: bool) -> dict:
        if params is None:
            return {}
        if hasattr(params, "columns") and hasattr(params, "iloc"):
            if not ensemble:
                raise TypeError("a table of parameters needs run_ensemble")
            params = P.from_table(params)
        overrides = {}
        for name, value in params.items():
            var = P.find_variable(self.plan, name)
            if var.kind != "aux":
                raise ValueError(f"parameter {name!r} is a {var.kind}; only values can be set")
            if var.key in {s.key for s in self.plan.statefuls}:
                raise ValueError(f"parameter {name!r} is a stock")
            if any(d in self.plan.orders.stateful_keys for d in var.node.step_deps):
                raise ValueError(
                    f"parameter {name!r} is computed from a stock or delay; "
                    "set its initial value with initial= instead"
                )
            overrides[var.key] = P.to_override(self.plan, var, value, ensemble)
        return overrides

    def _initial(self, initial, ensemble: bool) -> dict:
        out = {}
        for name, value in (initial or {}).items():
            var = P.find_variable(self.plan, name)
            deps = var.node.step_deps if var.node is not None else frozenset()
            keys = [d for d in deps if d in self.plan.orders.stateful_keys]
            if len(keys) != 1 or type(self.plan.statefuls[self.plan.index[keys[0]]]).__name__ != (
                "Integ"
            ):
                raise ValueError(f"initial value given for {name!r}, which is not a stock")
            out[keys[0]] = P.to_override(self.plan, var, value, ensemble)
        return out

    def _returned(self, return_columns) -> list[str]:
        if return_columns is None:
            return [v.key for v in self.plan.variables.values() if v.kind == "aux" and not v.hidden]
        keys = []
        for name in return_columns:
            var = P.find_variable(self.plan, name)
            if var.kind != "aux":
                raise ValueError(f"{name!r} is a lookup table and cannot be returned")
            keys.append(var.key)
        return keys

    def auto_chunk_size(self) -> int:
        """Members per vectorised pass for ``chunk_size="auto"`` (see :data:`CHUNK_CELLS`)."""
        largest = max(
            (self.plan.cell_counts[v.key] for v in self.plan.variables.values() if v.kind == "aux"),
            default=1,
        )
        return int(min(DEFAULT_CHUNK, max(1, CHUNK_CELLS // max(1, largest))))

    def _check_output_size(self, state, keys, members: int, chunk: int | None = None) -> None:
        """Refuse, before integrating, a run past the step or memory limits.

        The estimate counts the recorded results (twice: chunks are joined, then wrapped),
        the working arrays of one chunk (every variable, :data:`WORK_COPIES` times: the
        state, Runge-Kutta stages, temporaries) and the clock (one time and one row index
        per step). See :mod:`renaissance.limits`.
        """
        from renaissance.engine.errors import WorkLimitError
        from renaissance.engine.integrators import step_count
        from renaissance.limits import current_limits, gibibytes

        limits = current_limits()
        if "time_step" in state.dynamic_controls:
            steps = (state.final_time - state.t0) / state.dt
        else:
            steps = step_count(state.t0, state.dt, state.final_time)
        if steps > limits.max_steps:
            raise WorkLimitError(
                self.path.name,
                "TIME STEP",
                f"{steps:,.0f} steps from INITIAL TIME {state.t0:g} to FINAL TIME "
                f"{state.final_time:g} at TIME STEP {state.dt:g}; at most {limits.max_steps:,} "
                "are allowed (a longer run would not finish in reasonable time): use a larger "
                "TIME STEP, or raise the limit with --max-steps",
            )
        saves = (state.final_time - state.t0) / state.saveper + 1
        cells = sum(self.plan.cell_counts[k] for k in keys)
        needed = 8 * saves * members * cells
        if needed > MAX_OUTPUT_BYTES:
            raise ValueError(
                f"the results would need {needed / 2**30:.1f} GiB ({members} members x "
                f"{cells} cells x {saves:.0f} save times); pass return_columns=[...] with the "
                f"variables you need, a larger saveper, or fewer members per call"
            )
        everything = sum(self.plan.cell_counts.values())
        working = 8 * WORK_COPIES * min(members, chunk or members) * everything
        total = 2 * needed + working + 24 * (steps + 1)
        allowed = limits.memory_allowed()
        if total > allowed:
            source = (
                "--memory-limit"
                if limits.memory_bytes is not None
                else "80% of the memory available now"
            )
            raise WorkLimitError(
                self.path.name,
                "memory",
                f"the run would need about {gibibytes(total)} ({members:,} members x "
                f"{cells:,} cells x {saves:,.0f} save times of results, "
                f"{min(members, chunk or members):,} members x {everything:,} cells of working "
                f"arrays, {steps:,.0f} steps); {gibibytes(allowed)} may be used ({source}): "
                "return fewer variables, save less often, run fewer members, or raise the "
                "limit with --memory-limit",
            )

    def run(
        self,
        params=None,
        initial=None,
        integrator: str = "euler",
        dt=None,
        saveper=None,
        final_time=None,
        return_columns=None,
        rtol: float = 1e-6,
        atol: float = 1e-9,
    ) -> xr.Dataset:
        """Integrate one parameter set.

        Parameters
        ----------
        params : dict, optional
            Variable name -> value (number, array over the variable's dims, DataArray, or
            dict element -> value for some cells). See :mod:`renaissance.engine.params`.
        initial : dict, optional
            Stock name -> initial value, replacing the model's initial value.
        integrator : {"euler", "rk4", "RK45", "RK23", "DOP853", "LSODA", "BDF", "Radau"}
            Fixed-step Vensim-compatible ``euler``/``rk4`` or a SciPy ``solve_ivp`` method.
        dt, saveper, final_time : float, optional
            Override TIME STEP, SAVEPER and FINAL TIME (model time units).
        return_columns : list of str, optional
            Variables to return; all by default.
        rtol, atol : float
            Tolerances of the adaptive (SciPy) methods.

        Returns
        -------
        xarray.Dataset
            Dims ``time`` (save times) and the variables' subscript ranges; ``status``
            (0 success, 1 non-finite state) and ``failure_time``.
        """
        return self._run(
            params,
            initial,
            integrator,
            dt,
            saveper,
            final_time,
            return_columns,
            rtol,
            atol,
            ensemble=False,
        )

    def run_ensemble(
        self,
        params,
        initial=None,
        integrator: str = "euler",
        dt=None,
        saveper=None,
        final_time=None,
        return_columns=None,
        rtol: float = 1e-6,
        atol: float = 1e-9,
        adaptive_policy: str = "member",
        chunk_size: int | str | None = "auto",
    ) -> xr.Dataset:
        """Integrate E parameter sets at once (one vectorised pass).

        Parameters
        ----------
        params : dict or pandas.DataFrame
            Variable name -> values with a leading member axis of length E (a number is
            shared by all members), or a table with E rows. See :meth:`run` for the rest.
        adaptive_policy : {"member", "joint"}
            With a SciPy method: integrate each member on its own (own step sizes,
            isolated failures) or all members as one system sharing every step (see
            :mod:`renaissance.engine.adaptive`).
        chunk_size : int, "auto" or None
            Members integrated together in one vectorised pass; larger ensembles run in
            successive chunks (same results, bounded working memory: per-member time is
            lowest when a chunk's arrays stay in cache). "auto": :data:`CHUNK_CELLS`
            divided by the cells of the model's largest variable, at most
            :data:`DEFAULT_CHUNK`. None: all members at once.

        Returns
        -------
        xarray.Dataset
            As :meth:`run`, with a ``member`` dim (length E) after ``time``. A member whose
            state goes non-finite is flagged in ``status`` and ``failure_time``; the other
            members are unaffected.
        """
        return self._run(
            params,
            initial,
            integrator,
            dt,
            saveper,
            final_time,
            return_columns,
            rtol,
            atol,
            ensemble=True,
            policy=adaptive_policy,
            chunk_size=chunk_size,
        )

    def _run(
        self,
        params,
        initial,
        integrator,
        dt,
        saveper,
        final_time,
        return_columns,
        rtol,
        atol,
        ensemble,
        policy="member",
        chunk_size=None,
    ):
        overrides = self._overrides(params, ensemble)
        for key, value in (("time_step", dt), ("saveper", saveper), ("final_time", final_time)):
            if value is not None:
                overrides[key] = np.array([float(value)])
        initial_states = self._initial(initial, ensemble)
        members = P.members_of({**overrides, **initial_states})
        keys = self._returned(return_columns)
        if integrator not in FIXED_STEP + ADAPTIVE:
            raise ValueError(f"integrator {integrator!r} is not one of {FIXED_STEP + ADAPTIVE}")
        if chunk_size == "auto":
            chunk_size = self.auto_chunk_size()
        step = max(1, int(chunk_size)) if chunk_size else members
        pieces = []
        used = set()
        for start in range(0, members, step):
            stop = min(members, start + step)
            state = self.plan.initialize(
                stop - start,
                P.slice_members(overrides, start, stop, members),
                set(keys),
                P.slice_members(initial_states, start, stop, members),
            )
            if start == 0:
                self._check_output_size(state, keys, members, step)
            if integrator in FIXED_STEP:
                # one backend for the whole call: once a chunk needs numpy, all do
                rec = None if "numpy" in used else self._run_on_machine(state, keys, integrator)
                used.add("numpy" if rec is None else "vm")
                if rec is None:
                    rec = run_fixed(self.plan, state, keys, integrator)
                pieces.append((rec.times, rec.data, rec.failed_at))
            else:
                from renaissance.engine.adaptive import run_adaptive

                used.add("numpy")
                pieces.append(run_adaptive(self.plan, state, keys, integrator, rtol, atol, policy))
        times, data, failed = _merge(pieces)
        attrs = {
            "model_file": self.path.name,
            "model_sha256": self.sha256,
            "renaissance_version": __version__,
            "engine": self.engine,
            "backend": "+".join(sorted(used)),
            "integrator": integrator,
            "time_step": state.dt,
            "saveper": state.saveper,
            "initial_time": state.t0,
            "final_time": state.final_time,
        }
        if integrator in ADAPTIVE:
            attrs.update(rtol=rtol, atol=atol, adaptive_policy=policy)
        return to_dataset(self.plan, times, data, failed, attrs, ensemble)

    def _run_on_machine(self, state, keys, integrator):
        """A fixed-step run on the virtual machine, or None to use numpy (see BACKENDS)."""
        if self.backend == "numpy":
            return None
        from renaissance.engine import compiled

        if not compiled.available():
            if self.backend == "vm":
                raise UnsupportedFeatureError("backend 'vm' needs Numba, which is not installed")
            return None
        record = compiled.run(self.plan, state, keys, integrator)
        if record is None and self.backend == "vm":
            raise UnsupportedFeatureError(
                f"backend 'vm' cannot run {self.path.name}: {compiled.why_not(self.plan)}"
            )
        return record


def _merge(pieces):
    """Join the (times, data, failed) of successive member chunks along the member axis."""
    times = pieces[0][0]
    if len(pieces) == 1:
        return pieces[0]
    data = {}
    for key, first in pieces[0][1].items():
        if isinstance(first, np.ndarray):  # (time, E, *sizes) from the virtual machine
            data[key] = np.concatenate([p[1][key] for p in pieces], axis=1)
        else:
            frames = [p[1][key] for p in pieces]
            data[key] = [np.concatenate([f[j] for f in frames]) for j in range(len(times))]
    return times, data, np.concatenate([p[2] for p in pieces])


def load_model(path, engine: str = "fast", backend: str = "auto"):
    """Compile a Vensim ``.mdl`` file into a runnable model.

    Parameters
    ----------
    path : str or pathlib.Path
        The ``.mdl`` file; files it reads (``GET DIRECT …``) are relative to its folder.
    engine : {"fast", "pysd", "auto"}
        ``fast`` compiles with this engine and raises
        :class:`~renaissance.engine.errors.UnsupportedFeatureError` naming the function
        and variable it cannot handle; ``pysd`` uses PySD; ``auto`` tries ``fast`` and
        falls back to PySD with a warning that says why.
    backend : {"auto", "vm", "numpy"}
        How the fast engine executes fixed-step runs (see :data:`BACKENDS`).

    Returns
    -------
    Model
        (or :class:`~renaissance.engine.pysd_engine.PySDModel` for ``pysd``/fallback).
    """
    path = Path(path)
    if backend not in BACKENDS:
        raise ValueError(f"backend {backend!r} is not one of {BACKENDS}")
    if engine not in ("fast", "pysd", "auto"):
        raise ValueError(f"engine {engine!r} is not one of 'fast', 'pysd', 'auto'")
    if not path.is_file():
        raise FileNotFoundError(f"model file {str(path)!r} does not exist")
    if engine == "pysd":
        from renaissance.engine.pysd_engine import PySDModel

        return PySDModel(path)
    try:
        plan = ModelCompiler(read_abstract_model(path)).build()
        # initialise once so that run-time refusals (time-dependent control variables,
        # orders fixed at initialisation) surface at load time, where auto can fall back
        plan.initialize(1, {}, set())
    except UnsupportedFeatureError as err:
        if engine == "fast":
            raise
        import warnings

        from renaissance.engine.pysd_engine import PySDModel

        warnings.warn(
            f"fast engine cannot run {path.name}: {err}; falling back to PySD",
            RuntimeWarning,
            stacklevel=2,
        )
        try:
            return PySDModel(path)
        except UnsupportedFeatureError as pysd_err:
            raise UnsupportedFeatureError(
                f"{path.name}: the fast engine cannot run it ({err}), nor can PySD ({pysd_err})"
            ) from None
    return Model(path, plan, backend)
