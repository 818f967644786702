"""PySD as an engine behind the same ``run``/``run_ensemble`` interface (reference, fallback).

PySD integrates one parameter set at a time with Euler; ensembles are run member by
member. PySD writes its translated ``.py`` file beside the ``.mdl`` (its own behaviour);
the translation is made through :mod:`renaissance.engine.pysd_translation`, which
sanitises the model's comments and checks the generated code before it is imported.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from renaissance._version import __version__


class PySDModel:
    """A model run by PySD, returning the same Dataset layout as the fast engine."""

    engine = "pysd"

    def __init__(self, path: Path):
        import pysd

        from renaissance.engine.model import file_sha256

        self.path = Path(path)
        self.sha256 = file_sha256(self.path)
        from renaissance.engine.errors import UnsupportedFeatureError
        from renaissance.engine.pysd_translation import translate

        python_file = translate(self.path)  # checked: no text from the file runs
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self._model = pysd.load(str(python_file))
        except NotImplementedError as error:
            raise UnsupportedFeatureError(f"PySD cannot run {self.path.name}: {error}") from None
        doc = self._model.doc
        self._units = dict(zip(doc["Real Name"], doc["Units"].fillna(""), strict=True))

    def run(
        self,
        params=None,
        initial=None,
        integrator: str = "euler",
        dt=None,
        saveper=None,
        final_time=None,
        return_columns=None,
        **unused,
    ) -> xr.Dataset:
        """Run once with PySD (Euler only); see :meth:`renaissance.engine.Model.run`."""
        if integrator != "euler":
            raise ValueError(f"the PySD engine integrates with 'euler' only, not {integrator!r}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self._model.reload()
            start = "original"
            if initial:
                start = (float(self._model.components.initial_time()), initial)
            frame = self._model.run(
                params=params or {},
                initial_condition=start,
                time_step=dt,
                saveper=saveper,
                final_time=final_time,
                return_columns=return_columns,
                flatten_output=False,
            )
        return self._to_dataset(frame, dt, integrator)

    def run_ensemble(self, params, **kwargs) -> xr.Dataset:
        """Run each member in turn; ``params`` as for the fast engine (arrays of E values)."""
        if hasattr(params, "iloc"):
            rows = [row.to_dict() for _, row in params.iterrows()]
        else:
            sizes = {len(np.atleast_1d(v)) for v in params.values()} - {1}
            members = sizes.pop() if sizes else 1
            rows = [
                {
                    k: (np.atleast_1d(v)[m] if len(np.atleast_1d(v)) > 1 else np.atleast_1d(v)[0])
                    for k, v in params.items()
                }
                for m in range(members)
            ]
        runs = [self.run(params=row, **kwargs) for row in rows]
        merged = xr.concat(
            runs, dim=pd.Index(range(len(runs)), name="member"), data_vars="all", coords="minimal"
        )
        return merged.transpose("time", "member", ...)

    def _to_dataset(self, frame: pd.DataFrame, dt, integrator) -> xr.Dataset:
        variables = {}
        times = frame.index.to_numpy(dtype=float)
        for column in frame.columns:
            cells = frame[column].to_list()
            if isinstance(cells[0], xr.DataArray):
                array = xr.concat(cells, dim=pd.Index(times, name="time"))
            else:
                array = xr.DataArray(
                    np.asarray(cells, dtype=float), coords={"time": times}, dims=("time",)
                )
            array.attrs["units"] = str(self._units.get(column, ""))
            variables[column] = array
        attrs = {
            "model_file": self.path.name,
            "model_sha256": self.sha256,
            "renaissance_version": __version__,
            "engine": "pysd",
            "integrator": integrator,
            "time_step": float(self._model.time.time_step()),
        }
        dataset = xr.Dataset(variables, attrs=attrs)
        dataset["status"] = xr.DataArray(np.int8(0))
        dataset["failure_time"] = xr.DataArray(np.nan)
        return dataset
