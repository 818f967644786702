"""The years after 2008 as a test of the calibrated model (``docs/validation.md``).

Nothing here feeds the calibration. :func:`validation_table` runs a calibrated scenario
(and, for comparison, the scenario it extends with the model's default parameters) and
sets the 2009 crisis and the recovery beside the post-2008 facts and data: F05, F06,
F11, F12, F17, F26-F28, Penn World Table employment and TFP, and the patterns seed 001 §2
describes. Run ``python -m renaissance.calibration.validation`` to print the table.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from renaissance.calibration.mapping import SEGMENT_NUMBER, TFP_VARIABLES, manufacturing_tfp
from renaissance.calibration.pwt import read_pwt

VARIABLES = (
    *TFP_VARIABLES,
    "Total District Manufacturing Employment",
    "Total District Exports",
    "National Manufacturing Exports",
    "Total Firm Exits",
    "Total Manufacturing Firms",
    "Small Firm Births",
    "Non District Firm Births",
    "District Share of National Manufacturing Employment",
    "District Share of National Manufacturing Exports",
    "District Segment Number",
    "District Exports",
    "District Manufacturing Employment",
)

SHOWCASE_SHARES = {"F26": "Sassuolo", "F27": "Prato", "F28": "Arezzo"}
"""World export shares of three showcase districts in 2009 (seed 003 §3.1)."""


@dataclass(frozen=True)
class Check:
    """One post-2008 indicator: how it is computed and what it is compared with."""

    indicator: str
    period: str
    observed: str
    low: float
    high: float
    source: str


def _year(data: xr.Dataset, name: str, year: float) -> float:
    return float(data[name].sel(time=year, method="nearest"))


def _change(data: xr.Dataset, name: str, start: float, stop: float) -> float:
    return _year(data, name, stop) / _year(data, name, start) - 1.0


def _national_value_added(data: xr.Dataset) -> xr.DataArray:
    return data["District Value Added"].sum("District") + data["Non District Value Added"]


def _segment_change(data: xr.Dataset, name: str, segment: str, start: float, stop: float) -> float:
    chosen = data["District Segment Number"].isel(time=0) == SEGMENT_NUMBER[segment]
    total = (data[name] * chosen).sum("District")
    return float(total.sel(time=stop) / total.sel(time=start) - 1.0)


def indicators(data: xr.Dataset, pwt: pd.DataFrame) -> dict[str, float]:
    """Post-2008 indicators of one run (national roster), by name."""
    labour_share = float(pwt["labsh"].loc[1995:2007].mean())
    tfp = manufacturing_tfp(data, labour_share).squeeze()
    value_added = _national_value_added(data)
    employment = data["National Manufacturing Employment"]
    firms = data["Total Manufacturing Firms"]
    births = data["Small Firm Births"].sum("District") + data["Non District Firm Births"]
    exits = data["Total Firm Exits"]
    years = slice(2012, 2015)
    # F17 is an econometric elasticity: the slope of yearly log changes of employment on
    # yearly log changes of output over 2008-2015 (a ratio of the two 7-year changes is
    # unstable when output ends near where it started)
    window = slice(2008, 2015)
    employment_growth = np.diff(np.log(employment.sel(time=window).values))
    output_growth = np.diff(np.log(value_added.sel(time=window).values))
    elasticity = float(
        np.cov(employment_growth, output_growth)[0, 1] / np.var(output_growth, ddof=1)
    )
    yearly = employment.sel(time=slice(2008, 2015)).diff("time")
    sharpest = float(yearly.time[int(np.argmin(yearly.values))])
    return {
        "year of the sharpest fall of national manufacturing employment 2009-2015": sharpest,
        "national manufacturing employment 2015-2019": _change(
            data, "National Manufacturing Employment", 2015, 2019
        ),
        "district exports 2008-2009": _change(data, "Total District Exports", 2008, 2009),
        "district exports 2009-2011": _change(data, "Total District Exports", 2009, 2011),
        "district exports 2008-2015": _change(data, "Total District Exports", 2008, 2015),
        "district exports 2012-2013 minus national": (
            _change(data, "Total District Exports", 2012, 2013)
            - _change(data, "National Manufacturing Exports", 2012, 2013)
        ),
        "national manufacturing exports 2008-2009": _change(
            data, "National Manufacturing Exports", 2008, 2009
        ),
        "national manufacturing employment 2001-2007 per year": _change(
            data, "National Manufacturing Employment", 2001, 2007
        )
        / 6,
        "national manufacturing employment 2008-2009": _change(
            data, "National Manufacturing Employment", 2008, 2009
        ),
        "national manufacturing employment 2008-2013": _change(
            data, "National Manufacturing Employment", 2008, 2013
        ),
        "national manufacturing employment 2008-2017": _change(
            data, "National Manufacturing Employment", 2008, 2017
        ),
        "national manufacturing employment 2025 (million)": _year(
            data, "National Manufacturing Employment", 2025
        )
        / 1e6,
        "district minus national employment change 2001-2011": (
            _change(data, "Total District Manufacturing Employment", 2001, 2011)
            - _change(data, "National Manufacturing Employment", 2001, 2011)
        ),
        "person goods district employment 2007-2011": _segment_change(
            data, "District Manufacturing Employment", "Person Goods", 2007, 2011
        ),
        "mechanics district employment 2007-2011": _segment_change(
            data, "District Manufacturing Employment", "Mechanics", 2007, 2011
        ),
        "person goods district exports 2007-2011": _segment_change(
            data, "District Exports", "Person Goods", 2007, 2011
        ),
        "mechanics district exports 2007-2011": _segment_change(
            data, "District Exports", "Mechanics", 2007, 2011
        ),
        "firm exits 2009 / 2007": _year(data, "Total Firm Exits", 2009)
        / _year(data, "Total Firm Exits", 2007),
        "firm exit rate 2009": float(exits.sel(time=2009) / firms.sel(time=2009)),
        "F12 firm exit rate 2012-2015": float((exits / firms).sel(time=years).mean()),
        "F11 firm birth rate 2011-2012": float((births / firms).sel(time=slice(2011, 2012)).mean()),
        "F17 employment elasticity to value added 2008-2015": elasticity,
        "national value added 2008-2015": float(
            value_added.sel(time=2015) / value_added.sel(time=2008) - 1
        ),
        "F05 district employment share 2011": _year(
            data, "District Share of National Manufacturing Employment", 2011
        ),
        "F06 district export share 2015": _year(
            data, "District Share of National Manufacturing Exports", 2015
        ),
        "TFP 2008-2009": float(tfp.sel(time=2009) / tfp.sel(time=2008) - 1),
        "TFP growth 2008-2017 per year": float(np.log(tfp.sel(time=2017) / tfp.sel(time=2008)) / 9),
    }


def observations(pwt: pd.DataFrame) -> dict[str, tuple[str, float, float, str]]:
    """What each indicator is compared with: (text, low, high, source)."""
    emp = pwt["emp"] if "emp" in pwt else None
    tfp = pwt["rtfpna"]
    out = {
        "year of the sharpest fall of national manufacturing employment 2009-2015": (
            "2009 (the decline accelerates in 2009)",
            2009.0,
            2009.0,
            "seed 001 §2",
        ),
        "national manufacturing employment 2008-2009": (
            "decline accelerates in 2009",
            -np.inf,
            0.0,
            "seed 001 §2",
        ),
        "district exports 2012-2013 minus national": (
            "districts +4% vs national exports stationary (Q2 2013 on Q2 2012)",
            0.0,
            np.inf,
            "seed 001 §2 (Intesa 2013)",
        ),
        "district minus national employment change 2001-2011": (
            "specialisation sector loses jobs much faster than total manufacturing",
            -np.inf,
            0.0,
            "seed 001 §2",
        ),
        "person goods district employment 2007-2011": (
            "very negative",
            -np.inf,
            0.0,
            "seed 001 §2",
        ),
        "person goods district exports 2007-2011": ("very negative", -np.inf, 0.0, "seed 001 §2"),
        "F12 firm exit rate 2012-2015": (
            "0.085 (0.080-0.089), all sectors",
            0.080,
            0.089,
            "F12, ISTAT business demography",
        ),
        "F11 firm birth rate 2011-2012": (
            "0.05 (0.049-0.050)",
            0.049,
            0.050,
            "F11, ISTAT business demography",
        ),
        "F17 employment elasticity to value added 2008-2015": (
            "0.17 (0.10-0.25)",
            0.10,
            0.25,
            "F17, D'Elia and Righi 2017",
        ),
        "F05 district employment share 2011": ("0.36 (0.33-0.40)", 0.33, 0.40, "F05, ISTAT 2015"),
        "F06 district export share 2015": (
            "0.30 (0.24-0.35)",
            0.24,
            0.35,
            "F06, seed 003 citing ISTAT",
        ),
        "TFP 2008-2009": (
            f"{tfp.loc[2009] / tfp.loc[2008] - 1:+.3f} (whole economy)",
            -np.inf,
            0.0,
            "PWT 9.1 rtfpna",
        ),
        "TFP growth 2008-2017 per year": (
            f"{np.log(tfp.loc[2017] / tfp.loc[2008]) / 9:+.4f} (whole economy)",
            -np.inf,
            0.0,
            "PWT 9.1 rtfpna",
        ),
    }
    if emp is not None:
        for start, stop in ((2008, 2009), (2008, 2013), (2008, 2017)):
            key = f"national manufacturing employment {start}-{stop}"
            text = f"whole-economy persons engaged {emp.loc[stop] / emp.loc[start] - 1:+.3f}"
            low, high, source = out.get(key, ("", -np.inf, np.inf, ""))[1:]
            out[key] = (
                text + ("; " + out[key][0] if key in out else ""),
                low,
                high,
                "PWT 9.1 emp" + ("; " + source if source else ""),
            )
    return out


def validation_table(calibrated, defaults, pwt_file: str | Path) -> pd.DataFrame:
    """Indicators of the calibrated and default runs beside the observations.

    Parameters
    ----------
    calibrated, defaults : renaissance.scenarios.PreparedScenario
        The calibrated scenario and the scenario it extends (model defaults).
    pwt_file : path
        Penn World Table extract.

    Returns
    -------
    pandas.DataFrame
        Columns ``indicator``, ``observed``, ``source``, ``calibrated``, ``defaults``,
        ``calibrated inside`` (empty where there is no range to compare with).
    """
    pwt = _read_pwt_with_employment(pwt_file)
    runs = [prepared.run(return_columns=list(VARIABLES)) for prepared in (calibrated, defaults)]
    values = [indicators(run, pwt) for run in runs]
    seen = observations(pwt)
    rows = []
    for name in values[0]:
        text, low, high, source = seen.get(name, ("", -np.inf, np.inf, ""))
        ranged = np.isfinite(low) or np.isfinite(high)
        rows.append(
            {
                "indicator": name,
                "observed": text,
                "source": source,
                "calibrated": values[0][name],
                "defaults": values[1][name],
                "calibrated inside": ("yes" if low <= values[0][name] <= high else "no")
                if ranged
                else "",
            }
        )
    rows.extend(_showcase_shares(calibrated, defaults))
    return pd.DataFrame(rows)


def ensemble_validation_table(accepted: pd.DataFrame, pwt_file: str | Path) -> pd.DataFrame:
    """The post-2008 indicators over an ensemble of accepted parameter sets.

    Parameters
    ----------
    accepted : pandas.DataFrame
        ``accepted.csv`` of an ensemble calibration (``member`` and ``distance`` are
        dropped; the other columns are parameters of the ``history`` scenario).
    pwt_file : path
        Penn World Table extract.

    Returns
    -------
    pandas.DataFrame
        Columns ``indicator``, ``observed``, ``source``, ``p05``, ``median``, ``p95``
        (over the members) and ``share inside`` (share of members inside the observed
        range; empty where there is no range).
    """
    from renaissance.scenarios import load_scenario, prepare_scenario

    pwt = _read_pwt_with_employment(pwt_file)
    samples = accepted.drop(columns=[c for c in ("member", "distance") if c in accepted])
    prepared = prepare_scenario(load_scenario("history"))
    run = prepared.run_ensemble(samples.reset_index(drop=True), return_columns=list(VARIABLES))
    per_member = pd.DataFrame(
        [indicators(run.isel(member=m), pwt) for m in range(run.sizes["member"])]
    )
    seen = observations(pwt)
    rows = []
    for name in per_member.columns:
        text, low, high, source = seen.get(name, ("", -np.inf, np.inf, ""))
        values = per_member[name].to_numpy(dtype=float)
        ranged = np.isfinite(low) or np.isfinite(high)
        rows.append(
            {
                "indicator": name,
                "observed": text,
                "source": source,
                "p05": float(np.quantile(values, 0.05)),
                "median": float(np.median(values)),
                "p95": float(np.quantile(values, 0.95)),
                "share inside": f"{np.mean((values >= low) & (values <= high)):.0%}"
                if ranged
                else "",
            }
        )
    return pd.DataFrame(rows)


def _read_pwt_with_employment(pwt_file) -> pd.DataFrame:
    series = read_pwt(pwt_file)
    table = pd.read_csv(pwt_file)
    italy = table[table["isocode"] == "ITA"].set_index("year")
    return series.join(italy[["emp"]])


def _showcase_shares(calibrated, defaults) -> list[dict]:
    """F26-F28: world export shares of named showcase districts in 2009."""
    from renaissance import MODEL_FILE, load_model

    model = load_model(MODEL_FILE)
    shares = []
    for prepared in (calibrated, defaults):
        params = {k: v for k, v in prepared.params.items() if k != "Policy Target Weight"}
        run = model.run(
            params=params,
            return_columns=["Export Market Share"],
            **{**prepared.run_options, "final_time": 2009},
        )
        shares.append(run["Export Market Share"].sel(time=2009))
    observed = {"F26": 0.27, "F27": 0.04, "F28": 0.035}
    rows = []
    for fact, district in SHOWCASE_SHARES.items():
        rows.append(
            {
                "indicator": f"{fact} {district} world export share 2009 (showcase roster)",
                "observed": f"{observed[fact]} (no range)",
                "source": f"{fact}, seed 003 §3.1",
                "calibrated": float(shares[0].sel(District=district)),
                "defaults": float(shares[1].sel(District=district)),
                "calibrated inside": "",
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print the validation table of ``calibrated`` against ``history`` as markdown."""
    from renaissance.calibration.report import _markdown
    from renaissance.scenarios import load_scenario, prepare_scenario

    argv = sys.argv[1:] if argv is None else argv
    pwt_file = Path(argv[0]) if argv else Path("../shared/data/pwt91_selected.csv")
    calibrated = prepare_scenario(load_scenario("calibrated"))
    defaults = prepare_scenario(load_scenario(calibrated.scenario.extends or "history"))
    print(_markdown(validation_table(calibrated, defaults, pwt_file)))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
