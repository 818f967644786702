"""Penn World Table 9.1 series for Italy, the national-scale calibration data.

Feenstra, Inklaar and Timmer (2015), "The Next Generation of the Penn World Table",
American Economic Review 105(10), 3150-3182, doi:10.1257/aer.20130954 (CC BY 4.0). The
extract is ``shared/data/pwt91_selected.csv``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

PWT_COLUMNS = ("country", "isocode", "year", "hc", "rtfpna", "labsh", "delta", "rgdpna", "csh_x")
"""Columns the calibration reads (human capital, TFP at constant national prices, labour
share, depreciation rate, real GDP, share of merchandise exports)."""


def read_pwt(path: str | Path, isocode: str = "ITA") -> pd.DataFrame:
    """Read one country's series from a Penn World Table extract.

    Parameters
    ----------
    path : str or pathlib.Path
        CSV with at least the columns of :data:`PWT_COLUMNS`.
    isocode : str
        ISO 3166 alpha-3 code of the country.

    Returns
    -------
    pandas.DataFrame
        Indexed by integer year; columns ``hc`` (index, PWT scale), ``rtfpna`` (2011 = 1),
        ``labsh`` (fraction), ``delta`` (1/year), ``rgdpna`` (million 2011 national
        currency) and ``csh_x`` (share of merchandise exports in GDP at current PPPs).

    Raises
    ------
    ValueError
        Missing file or columns, or no rows for ``isocode``.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: no such Penn World Table file")
    table = pd.read_csv(path)
    missing = [c for c in PWT_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{path}: missing columns {missing}")
    rows = table[table["isocode"] == isocode]
    if rows.empty:
        raise ValueError(f"{path}: no rows with isocode {isocode!r}")
    columns = ["hc", "rtfpna", "labsh", "delta", "rgdpna", "csh_x"]
    return rows.set_index(rows["year"].astype(int))[columns]


def growth_rate(series: pd.Series, start: int, stop: int) -> float:
    """Mean exponential growth rate of ``series`` between two years, 1/year."""
    return float(np.log(series.loc[stop] / series.loc[start]) / (stop - start))
