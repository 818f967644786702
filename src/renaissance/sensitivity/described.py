"""Units and descriptions for every variable of the NetCDF files a study writes.

SALib's indices come without units; a file read years later must still say what each
number is. :func:`described` fills ``units`` and ``description`` where they are missing
and never overwrites what a variable already carries.
"""

from __future__ import annotations

INDEX_ATTRIBUTES = {
    "S1": (
        "1",
        "first-order Sobol' index: share of the output's variance due to the parameter alone",
    ),
    "S1_conf": ("1", "95% bootstrap confidence half-width of S1"),
    "ST": ("1", "total Sobol' index: share of variance due to the parameter and its interactions"),
    "ST_conf": ("1", "95% bootstrap confidence half-width of ST"),
    "S2": ("1", "second-order Sobol' index of a pair of parameters"),
    "S2_conf": ("1", "95% bootstrap confidence half-width of S2"),
    "mu": (
        "units of the output",
        "Morris mean elementary effect (units of the output per unit range)",
    ),
    "mu_star": (
        "units of the output",
        "Morris mean absolute elementary effect (units of the output)",
    ),
    "mu_star_conf": ("units of the output", "95% bootstrap confidence half-width of mu_star"),
    "sigma": ("units of the output", "standard deviation of the Morris elementary effects"),
    "runs_used": ("run", "model runs the index was computed from (failed runs left out)"),
    "status": ("1", "integration status of each run: 0 success, 1 non-finite state"),
    "samples": (
        "units of each parameter (problem.csv)",
        "sampled parameter values, one row per run",
    ),
    "difference": (
        "units of the output",
        "first scenario minus second, per run, in the output's units",
    ),
}
"""``units`` and ``description`` by variable name."""


def described(dataset):
    """``dataset`` with ``units`` and ``description`` on every variable that lacks them.

    Variables named after an output (``Name@YEAR``, a metric) keep their own units; a
    missing description becomes the variable's name as the study's output.
    """
    dataset = dataset.copy()
    for name in dataset.data_vars:
        attrs = dict(dataset[name].attrs)
        units, description = INDEX_ATTRIBUTES.get(str(name), (None, None))
        if units is not None:
            attrs.setdefault("units", units)
        if description is None:
            description = f"study output {name}"
        if not attrs.get("description"):
            attrs["description"] = attrs.get("long_name", description)
        attrs.setdefault("units", "not recorded")  # an output the study did not know
        dataset[name].attrs = attrs
    return dataset
