"""Named scalar metrics, so sensitivity analysis can ask for any output by name.

Every registered metric reduces a results Dataset to one number per scenario and member
(a DataArray over the extra dims ``scenario``/``member``, or a 0-d DataArray for a single
run). Names are lower-case words joined by underscores:

- ``{scale}_{quantity}_change_{start}_{end}``: percent change over a window, for scales
  ``nation`` and ``districts`` and the four quantities (``employment``, ``exports``,
  ``value_added``, ``composite_capital``), for every window in
  :data:`~renaissance.metrics.DEFAULT_WINDOWS`;
- ``{scale}_{quantity}_{year}``: level in the last year of the windows (units of the
  quantity);
- ``cumulative_spending_{start}_{end}`` (M€);
- ``nation_jobs_vs_reference_{end}`` (person), which needs a reference scenario;
- ``cost_per_job_{start}_{end}`` (k€/person) and
  ``cost_per_capital_point_{start}_{end}`` (M€ per 0.01 index), which need a reference
  scenario;
- ``{scale}_employment_resilience_depth`` (Dmnl) and
  ``{scale}_employment_recovery_years`` (year), after the scenario's own shock
  (:func:`~renaissance.metrics.shock_start_year`) against the pre-shock level;
- ``districts_in_{trajectory}_{start}_{end}`` (district count) for each Bellandi
  trajectory over a window, and ``districts_in_{model}_{end}`` for each GVC model in the
  window's last year.
"""

from dataclasses import dataclass
from typing import Any

from renaissance.metrics.changes import DEFAULT_WINDOWS, change
from renaissance.metrics.costs import (
    cost_per_capital_point,
    cost_per_job,
    cumulative_spending,
    difference_from_reference,
)
from renaissance.metrics.quantities import QUANTITIES, UNITS, quantity_path, value_at
from renaissance.metrics.resilience import resilience_after_own_shock
from renaissance.metrics.trajectories import (
    BELLANDI_TRAJECTORIES,
    GVC_MODELS,
    bellandi_trajectory,
    gvc_model,
)

SCALAR_SCALES = ("nation", "districts")


@dataclass(frozen=True)
class Metric:
    """A named metric: how to compute it, its units and a one-line description."""

    name: str
    units: str
    description: str
    compute: Any
    needs_reference: bool = False


def _word(text):
    return text.replace(" ", "_").replace("-", "_")


def _window_word(window):
    return f"{int(window[0])}_{int(window[1])}"


def _build_registry(windows=DEFAULT_WINDOWS):
    registry = {}

    def add(metric):
        registry[metric.name] = metric

    for window in windows:
        word = _window_word(window)
        for scale in SCALAR_SCALES:
            for quantity in QUANTITIES:
                add(
                    Metric(
                        f"{scale}_{_word(quantity)}_change_{word}",
                        "%",
                        f"percent change of {scale} {quantity}, {window[0]}→{window[1]}",
                        lambda r, q=quantity, s=scale, w=window: change(r, q, s, w),
                    )
                )
        add(
            Metric(
                f"cumulative_spending_{word}",
                "M€",
                f"new policy spending summed over {window[0]}–{window[1]}",
                lambda r, w=window: cumulative_spending(r, w),
            )
        )
        add(
            Metric(
                f"cost_per_job_{word}",
                "k€/person",
                f"extra spending {window[0]}–{window[1]} per national job gained in "
                f"{window[1]} against the reference",
                lambda r, reference, w=window: cost_per_job(r, reference, w),
                needs_reference=True,
            )
        )
        add(
            Metric(
                f"cost_per_capital_point_{word}",
                "M€ per 0.01 index",
                f"extra spending {window[0]}–{window[1]} per 0.01 of district composite "
                f"capital index gained in {window[1]}",
                lambda r, reference, w=window: cost_per_capital_point(r, reference, w),
                needs_reference=True,
            )
        )
        for label in BELLANDI_TRAJECTORIES:
            add(
                Metric(
                    f"districts_in_{_word(label)}_{word}",
                    "district",
                    f"districts on the {label} trajectory over {window[0]}–{window[1]}",
                    lambda r, c=label, w=window: (bellandi_trajectory(r, w) == c).sum("District"),
                )
            )
        for label in GVC_MODELS:
            add(
                Metric(
                    f"districts_in_{_word(label.lower())}_{int(window[1])}",
                    "district",
                    f"districts in the {label} model in {window[1]}",
                    lambda r, c=label, w=window: (gvc_model(r, w[1]) == c).sum("District"),
                )
            )
    for year in sorted({window[1] for window in windows}):
        add(
            Metric(
                f"nation_jobs_vs_reference_{int(year)}",
                "person",
                f"national manufacturing jobs in {year:g} minus the reference scenario's",
                lambda r, reference, y=year: difference_from_reference(
                    r, reference, "employment", "nation", y
                ),
                needs_reference=True,
            )
        )
        for scale in SCALAR_SCALES:
            for quantity in QUANTITIES:
                add(
                    Metric(
                        f"{scale}_{_word(quantity)}_{int(year)}",
                        UNITS[quantity],
                        f"{scale} {quantity} in {year}",
                        lambda r, q=quantity, s=scale, y=year: value_at(quantity_path(r, q, s), y),
                    )
                )
    for scale in SCALAR_SCALES:
        add(
            Metric(
                f"{scale}_employment_resilience_depth",
                "Dmnl",
                f"largest fall of {scale} employment after the scenario's shock, as a "
                "fraction of the pre-shock level",
                lambda r, s=scale: resilience_after_own_shock(r, scale=s)["depth"],
            )
        )
        add(
            Metric(
                f"{scale}_employment_recovery_years",
                "year",
                f"years from the scenario's shock until {scale} employment is back within "
                "1% of its pre-shock level (NaN if never)",
                lambda r, s=scale: resilience_after_own_shock(r, scale=s)["recovery_years"],
            )
        )
    return registry


_REGISTRY = _build_registry()


def metric_names():
    """Names of the registered metrics, sorted.

    Returns
    -------
    list of str
    """
    return sorted(_REGISTRY)


def describe_metric(name):
    """Units and description of a registered metric.

    Returns
    -------
    tuple of str
        ``(units, description)``.
    """
    metric = _lookup(name)
    return metric.units, metric.description


def metric_needs_reference(name):
    """True if the metric compares with a reference scenario (the cost metrics).

    Returns
    -------
    bool
    """
    return _lookup(name).needs_reference


def _lookup(name):
    if name not in _REGISTRY:
        import difflib

        close = difflib.get_close_matches(name, _REGISTRY, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ValueError(f"unknown metric {name!r}{hint} (see metric_names())")
    return _REGISTRY[name]


def compute_metric(results, name, reference=None):
    """Compute a registered metric.

    Parameters
    ----------
    results : xarray.Dataset
        Model results (dims ``time``, optionally ``scenario`` and ``member``).
    name : str
        One of :func:`metric_names`.
    reference : str or None
        Reference scenario, needed by the cost metrics.

    Returns
    -------
    xarray.DataArray
        Over the extra dims of ``results`` (``scenario``, ``member``);
        ``attrs["units"]`` and ``attrs["description"]`` set.
    """
    metric = _lookup(name)
    if metric.needs_reference:
        if reference is None:
            raise ValueError(f"metric {name!r} needs a reference scenario")
        values = metric.compute(results, reference)
    else:
        values = metric.compute(results)
    values = values.astype(float)
    values.attrs = {"units": metric.units, "description": metric.description}
    values.name = name
    return values
