"""Change of a headline quantity over a window of years."""

from renaissance.metrics.quantities import quantity_path, value_at

DEFAULT_WINDOWS = ((2025, 2035), (2025, 2050))
"""Windows (first year, last year) of the headline table: the decade after the default
policy start (2026) and the whole policy horizon."""


def check_window(window):
    """Return ``window`` as a pair of floats ``(start, end)`` with ``start < end``.

    Raises
    ------
    ValueError
        If the window is not two numbers or ``end`` is not after ``start``.
    """
    try:
        start, end = (float(year) for year in window)
    except (TypeError, ValueError) as error:
        raise ValueError(f"a window is two years (start, end), got {window!r}") from error
    if not end > start:
        raise ValueError(f"window end {end:g} must be after its start {start:g}")
    return start, end


def change(results, quantity, scale, window=DEFAULT_WINDOWS[0], relative=True):
    """Change of a quantity between the first and last year of a window.

    Parameters
    ----------
    results : xarray.Dataset
        Model results (dims ``time`` and optionally ``scenario``, ``member``).
    quantity : {"employment", "exports", "value added", "composite capital"}
        See :func:`renaissance.metrics.quantity_path`.
    scale : {"district", "region", "districts", "nation"}
        See :func:`renaissance.metrics.quantity_path`.
    window : tuple of two float
        ``(start, end)``, saved years.
    relative : bool
        If true the change is ``100 × (end / start − 1)`` in percent; otherwise
        ``end − start`` in the quantity's units.

    Returns
    -------
    xarray.DataArray
        Without ``time``; territorial dim for district and region scales; extra dims kept.
    """
    start, end = check_window(window)
    path = quantity_path(results, quantity, scale)
    first, last = value_at(path, start), value_at(path, end)
    if relative:
        result = 100.0 * (last / first - 1.0)
        units = "%"
    else:
        result = last - first
        units = path.attrs["units"]
    result.attrs = {
        "units": units,
        "description": f"change in {scale} {quantity} {start:g}→{end:g}",
    }
    result.name = f"{scale} {quantity} change {start:g}-{end:g}"
    return result
