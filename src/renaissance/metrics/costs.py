"""Cost of policy per job and per unit of composite capital, against a reference scenario.

Definitions (docs/results.md, "Cost per job"):

- *cumulative spending* ``S`` (M€) of a scenario over ``[start, end]`` is the
  trapezoidal integral of ``Public Policy Spending`` (M€/year, new policy money before
  capture) over the saved years of the window. It is exact for spending that is linear
  between saved years (the model's ramps start and end on whole years); a step between
  two saved years is counted half a saving interval early or late;
- *extra spending* ``ΔS = S(scenario) − S(reference)``;
- *jobs gained* ``ΔE = E(scenario, end) − E(reference, end)`` (person), with ``E``
  manufacturing employment at the chosen scale;
- *cost per job* ``ΔS / ΔE`` in thousand € per job (k€/person);
- *cost per composite-capital point*: ``ΔS / (100 × ΔK)`` in M€ per 0.01 of the index,
  with ``K`` the composite capital index at the chosen scale in the window's last year.

The ratio is undefined (NaN) when ``ΔE`` or ``ΔK`` is not positive: a policy that spends
and loses jobs against the reference has no cost per job gained, and a negative ratio
would read as a saving. The jobs and capital differences are reported beside it.
"""

from renaissance.metrics.changes import check_window
from renaissance.metrics.quantities import quantity_path, value_at


def cumulative_spending(results, window):
    """Policy money spent over a window.

    Parameters
    ----------
    results : xarray.Dataset
        Results with ``Public Policy Spending`` (M€/year).
    window : tuple of two float
        ``(start, end)`` saved years.

    Returns
    -------
    xarray.DataArray
        M€, over the extra dims (``scenario``, ``member``).
    """
    start, end = check_window(window)
    spending = results["Public Policy Spending"]
    inside = (spending["time"] >= start - 1e-9) & (spending["time"] <= end + 1e-9)
    total = spending.sel(time=inside).integrate("time")
    total.attrs = {"units": "M€", "description": f"policy spending {start:g}-{end:g}"}
    return total


def select_reference(results, reference):
    """The reference scenario of a comparison.

    Parameters
    ----------
    results : xarray.Dataset
        Results with a ``scenario`` dim.
    reference : str
        Name of a scenario in ``results``.

    Returns
    -------
    xarray.Dataset
        ``results`` for that scenario, without the ``scenario`` dim.
    """
    if "scenario" not in results.dims:
        raise ValueError("a reference scenario needs results with a 'scenario' dim")
    names = [str(name) for name in results["scenario"].values]
    if reference not in names:
        raise ValueError(f"reference scenario {reference!r} is not one of {names}")
    return results.sel(scenario=reference, drop=True)


def difference_from_reference(results, reference, quantity, scale, year):
    """``quantity`` in ``year`` minus the reference scenario's (units of the quantity)."""
    path = quantity_path(results, quantity, scale)
    reference_path = quantity_path(select_reference(results, reference), quantity, scale)
    return value_at(path, year) - value_at(reference_path, year)


def extra_spending(results, reference, window):
    """Cumulative spending over ``window`` minus the reference scenario's (M€)."""
    return cumulative_spending(results, window) - cumulative_spending(
        select_reference(results, reference), window
    )


def cost_per_job(results, reference, window, scale="nation"):
    """Extra policy spending per manufacturing job gained against a reference.

    Parameters
    ----------
    results : xarray.Dataset
        Results with a ``scenario`` dim.
    reference : str
        Reference scenario (usually the baseline without new policy).
    window : tuple of two float
        ``(start, end)``: spending is summed over the window, jobs compared in ``end``.
    scale : {"district", "region", "districts", "nation"}
        Where jobs are counted; ``nation`` includes jobs created outside the districts
        (place-blind money mostly goes there).

    Returns
    -------
    xarray.DataArray
        k€ per job (thousand euro per person), NaN where no job is gained; the reference
        scenario itself is NaN.
    """
    end = check_window(window)[1]
    jobs = difference_from_reference(results, reference, "employment", scale, end)
    cost = 1000.0 * extra_spending(results, reference, window) / jobs.where(jobs > 0)
    cost.attrs = {"units": "k€/person", "description": f"cost per job gained by {end:g}"}
    return cost


def cost_per_capital_point(results, reference, window, scale="districts"):
    """Extra policy spending per 0.01 of composite capital index gained.

    Parameters
    ----------
    results : xarray.Dataset
        Results with a ``scenario`` dim.
    reference : str
        Reference scenario.
    window : tuple of two float
        ``(start, end)``: spending summed over the window, the index compared in ``end``.
    scale : {"district", "region", "districts", "nation"}
        Where the index is read (``districts``: mean over districts weighted by first-year
        employment).

    Returns
    -------
    xarray.DataArray
        M€ per 0.01 index point, NaN where the index does not rise.
    """
    end = check_window(window)[1]
    gain = difference_from_reference(results, reference, "composite capital", scale, end)
    points = 100.0 * gain
    cost = extra_spending(results, reference, window) / points.where(points > 0)
    cost.attrs = {
        "units": "M€ per 0.01 index",
        "description": f"cost per 0.01 of composite capital index gained by {end:g}",
    }
    return cost
