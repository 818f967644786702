"""Reference behaviour of the revised model (issue 13): bounded drivers and stocks, no
driver that ends at the policy start year, programme effects that decay, credibility
from well-targeted spending only, and the crossroads of a restructuring district.

All runs use the showcase roster and the model's default parameters (the baseline
scenario's), with the fast engine.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import qmc

from renaissance.parameters import parameter_table
from renaissance.paths import MODEL_FILE
from renaissance.scenarios import load_scenario, prepare_scenario

DRIVERS = (
    "World Demand Index",
    "Domestic Demand Index",
    "Low Cost Competition Index",
    "Technology Shift Index",
    "Exchange Rate Cost Factor",
    "Trend Productivity Multiplier",
    "Low Cost Competitor Quality",
)

SHARES = (
    "Export Market Share",
    "Social Capital",
    "Functional Upgrading Share",
    "Offshored Share",
    "Entrepreneurial Confidence",
    "Policy Effect",
    "National Strategy Credibility",
    "National Social Capital",
)

STOCKS = (
    "District Manufacturing Employment",
    "Technical Capital",
    "Human Capital",
    "Local Public Goods",
    "Small Firms",
    "Medium Large Firms",
    "Multinational Affiliates",
    "Regional Innovation Capacity",
    "Regional Public Goods",
    "Non District Manufacturing Employment",
    "Non District Technical Capital",
    "Non District Firms",
)

SUBSCRIPTS = {"District", "Region", "Segment", "Instrument", "Scale"}


def _scenario(tmp_path, name, text):
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"name: {name}\n{text}", encoding="utf-8")
    return prepare_scenario(load_scenario(path)).run()


def _yearly_growth(values):
    return np.log(values).diff("time")


def test_world_demand_growth_converges_to_the_long_run_rate(baseline):
    """Segments that grew faster than 2% a year in 1991 slow down, the others speed up."""
    growth = _yearly_growth(baseline["World Demand Index"])
    early = growth.sel(time=slice(1992, 2000)).mean("time")
    late = growth.sel(time=slice(2041, 2050)).mean("time")
    assert bool((abs(late - 0.02) <= abs(early - 0.02) + 1e-12).all())  # towards 2% a year
    faster = early > 0.02 + 1e-9
    assert bool(faster.any())
    assert bool((late < early).where(faster, True).all())


def test_no_exogenous_driver_turns_at_the_policy_start_year(baseline):
    """No kink at 2026: the yearly change of every driver's growth rate at 2026 is no
    larger than twice the largest change in the neighbouring years (a driver that ended
    at 2026 would show a jump there)."""
    for name in DRIVERS:
        growth = _yearly_growth(baseline[name])
        change = abs(growth.diff("time"))
        at = change.sel(time=2027)
        around = np.maximum.reduce([change.sel(time=year) for year in (2025, 2026, 2028, 2029)])
        assert float((at - 2 * around).max()) < 1e-4, name


def test_low_cost_pressure_is_bounded_by_twice_the_exposure_times_the_index(baseline):
    ceiling = (
        2 * baseline["District Low Cost Competition Index"] * baseline["District Low Cost Exposure"]
    )
    assert bool((baseline["Low Cost Pressure"] <= ceiling + 1e-12).all())
    assert float(baseline["Low Cost Pressure"].max()) < 2.5


def test_baseline_2025_2050_has_no_collapse_and_no_explosion(baseline):
    for name in ("National Manufacturing Employment", "National Manufacturing Exports"):
        values = baseline[name]
        ratio = float(values.sel(time=2050) / values.sel(time=2025))
        assert 0.6 < ratio < 1.8, (name, ratio)


def test_stocks_stay_in_their_domain_over_the_plausible_space():
    """A seeded Latin hypercube of 2,000 sets over every ranged parameter (showcase, Euler).

    Shares stay in [0, 1] and stocks non-negative by their equations (no clipping in the
    model); the hypercube covers the corners' neighbourhoods of every range at once.
    """
    table = parameter_table(MODEL_FILE)
    table = table[np.isfinite(table["low"]) & np.isfinite(table["high"])]
    table = table[table["high"] > table["low"]]

    def whole(name):
        match = re.match(r"^(.*)\[(.*)\]$", name)
        if match and any(part.strip() in SUBSCRIPTS for part in match.group(2).split(",")):
            return match.group(1)
        return name

    table = table.assign(name=table["name"].map(whole)).drop_duplicates("name")
    unit = qmc.LatinHypercube(d=len(table), seed=13).random(2000)
    low, high = table["low"].to_numpy(), table["high"].to_numpy()
    samples = pd.DataFrame(low + unit * (high - low), columns=table["name"])
    prepared = prepare_scenario(load_scenario("baseline"))
    for start in range(0, len(samples), 500):
        part = samples.iloc[start : start + 500].reset_index(drop=True)
        result = prepared.run_ensemble(part, return_columns=[*SHARES, *STOCKS])
        assert bool((np.asarray(result["status"]) == 0).all())
        for name in (*SHARES, *STOCKS):
            values = result[name].values
            assert np.isfinite(values).all(), name
            assert values.min() >= -1e-9, (name, values.min())
            if name in SHARES:
                assert values.max() <= 1 + 1e-9, (name, values.max())


def test_a_stopped_programme_effect_decays(tmp_path):
    result = _scenario(
        tmp_path,
        "stopped",
        "extends: baseline\npolicies:\n"
        "  - {instrument: Network Contracts, scale: local, targets: all, budget: 100,"
        " start: 2026, end: 2035, ramp: 1, allocation: place-based}\n",
    )
    effect = result["Policy Effect"].sel(Instrument="Network Contracts").mean("District")
    at_stop = float(effect.sel(time=2035))
    assert at_stop > 0.05
    assert float(effect.sel(time=2050)) < 0.05 * at_stop


def test_firm_level_subsidies_build_no_credibility_place_based_programmes_do(tmp_path):
    firms = _scenario(
        tmp_path,
        "firms",
        "extends: baseline\npolicies:\n"
        "  - {instrument: Individual Firm Subsidies, scale: national, targets: all,"
        " budget: 300, start: 2026, end: 2051, ramp: 1, allocation: firm-level}\n",
    )
    placed = _scenario(
        tmp_path,
        "placed",
        "extends: baseline\npolicies:\n"
        "  - {instrument: Network Contracts, scale: national, targets: all,"
        " budget: 300, start: 2026, end: 2051, ramp: 1, allocation: place-based}\n",
    )
    start = float(firms["National Strategy Credibility"].sel(time=2025))
    assert float(firms["National Strategy Credibility"].sel(time=2050)) == pytest.approx(start)
    assert float(placed["National Strategy Credibility"].sel(time=2050)) > start + 0.1


def test_a_restructuring_district_has_two_long_run_fates(tmp_path):
    """Crossroads (seed 001 §2 iv): the same district, the same parameters; a temporary
    programme of 1 or 12 M€ a year for five years (2026-2031) leaves it, 70 years later,
    in one of two stationary states of social capital on either side of the threshold,
    with employment twice as high in one as in the other."""
    fates = {}
    for budget in (1, 12):
        result = _scenario(
            tmp_path,
            f"nocera{budget}",
            "extends: baseline\nhorizon: {start: 1991, stop: 2100, dt: 0.125, saveper: 1}\n"
            "policies:\n"
            f"  - {{instrument: Network Contracts, scale: local, targets: {{districts: [Nocera]}},"
            f" budget: {budget}, start: 2026, end: 2031, ramp: 1, allocation: place-based}}\n",
        )
        social = result["Social Capital"].sel(District="Nocera")
        fates[budget] = (social, result["District Manufacturing Employment"].sel(District="Nocera"))
        assert float(abs(social.sel(time=2100) - social.sel(time=2095))) < 0.02  # settled
    threshold = 0.35  # Social Capital Threshold
    (low, low_jobs), (high, high_jobs) = fates[1], fates[12]
    assert float(low.sel(time=2100)) < threshold / 4
    assert float(high.sel(time=2100)) > threshold
    assert float(high_jobs.sel(time=2100)) > 1.5 * float(low_jobs.sel(time=2100))
    # both programmes ended in 2031, when the two paths were still close
    assert float(abs(high.sel(time=2031) - low.sel(time=2031))) < 0.06


def test_territorial_pacts_have_no_significant_employment_effect(tmp_path):
    """H12 (Accetturo and de Blasio 2012): the 220 territorial pacts of 1998-2008 had no
    significant effect on employment. In the history scenario they are firm-level grants
    (30 M€ a year, 1998-2006, national roster); removing them changes national and
    district employment in 2008 by less than 0.5%."""
    with_pacts = prepare_scenario(load_scenario("history")).run()
    without = _scenario(
        tmp_path,
        "no-pacts",
        "extends: history\npolicies:\n"
        "  - {instrument: Individual Firm Subsidies, scale: local, budget: 0}\n",
    )
    for name in ("National Manufacturing Employment", "Total District Manufacturing Employment"):
        ratio = float(with_pacts[name].sel(time=2008) / without[name].sel(time=2008))
        assert abs(ratio - 1) < 0.005, (name, ratio)
    spent = with_pacts["Public Policy Spending"].sel(time=slice(1998, 2006))
    assert float(spent.min()) > 0


def test_multi_scale_coordination_beats_one_scale_only_when_its_gain_is_positive(tmp_path):
    """Seed 001 §5: the same money and instruments, spread over three scales (system-mix)
    or all local (system-mix-local). With the coordination gain at its default (0.6) the
    multi-scale mix gives more district jobs in 2050; with the channel off (0) the local
    one does, because a multi-scale mix spends part of its money outside the districts."""
    jobs = {}
    for gain in (0.0, 0.6):
        for mix in ("system-mix", "system-mix-local"):
            result = _scenario(
                tmp_path,
                f"{mix}-{gain}".replace(".", "_"),
                f"extends: {mix}\nparameters: {{Multi Scale Coordination Gain: {gain}}}\n",
            )
            jobs[mix, gain] = float(
                result["Total District Manufacturing Employment"].sel(time=2050)
            )
    assert jobs["system-mix", 0.6] > jobs["system-mix-local", 0.6]
    assert jobs["system-mix", 0.0] < jobs["system-mix-local", 0.0]


def test_the_real_gdp_lookup_is_pwt_rgdpna_relative_to_1991():
    from renaissance.calibration.pwt import read_pwt

    text = Path(MODEL_FILE).read_text(encoding="utf-8")
    body = text[text.index("Italian Real GDP History(") :].split(")\n", 1)[0]
    points = {int(y): float(v) for y, v in re.findall(r"\((\d{4}),([0-9.]+)\)", body)}
    pwt = read_pwt(Path(MODEL_FILE).parents[2] / "shared" / "data" / "pwt91_selected.csv")
    expected = pwt["rgdpna"].loc[1991:2017] / pwt["rgdpna"].loc[1991]
    assert sorted(points) == list(range(1991, 2018))
    for year, value in expected.items():
        assert points[year] == pytest.approx(value, abs=5e-6), year
