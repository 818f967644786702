"""Extreme-condition checks and the reference behaviour of MODEL-SPEC, on the showcase roster.

Runs use the fast engine (checked against PySD to 1e-9 in tests/engine).
"""

import numpy as np
import xarray as xr

EMPLOYMENT = "District Manufacturing Employment"


def archetype_mean(dataset, roster, variable, archetype, year):
    districts = roster.loc[roster["archetype"] == archetype, "district"].tolist()
    return float(dataset[variable].sel(District=districts, time=year).mean())


def segment_ratio(dataset, roster, segments, start, end):
    districts = roster.loc[roster["segment"].isin(segments), "district"].tolist()
    employment = dataset[EMPLOYMENT].sel(District=districts).sum("District")
    return float(employment.sel(time=end) / employment.sel(time=start))


def test_zero_world_demand_leaves_only_domestic_sales(
    model, stock_names, assert_finite_non_negative
):
    result = model.run(params={"World Demand Scale": 0})
    assert_finite_non_negative(result, stock_names)
    assert float(result["Total District Exports"].max()) == 0
    assert float(result["National Manufacturing Exports"].max()) == 0
    exports_1991 = result["District Exports"].sel(time=1991)
    employment = result["District Manufacturing Employment"]
    # with no exports, employment falls below what domestic sales alone could carry in 1991
    domestic_share = (result["District Output"].sel(time=1991) - exports_1991) / result[
        "District Output"
    ].sel(time=1991)
    assert bool((employment.sel(time=2050) < employment.sel(time=1991) * domestic_share).all())


def test_zero_world_and_domestic_demand_drive_exports_then_employment_to_zero(
    model, stock_names, assert_finite_non_negative
):
    result = model.run(params={"World Demand Scale": 0, "Domestic Demand Scale": 0})
    assert_finite_non_negative(result, stock_names)
    assert float(result["Total District Exports"].max()) == 0
    assert float(result["National Manufacturing Exports"].max()) == 0
    employment = result["Total District Manufacturing Employment"]
    assert float(employment.sel(time=2050)) < 0.01 * float(employment.sel(time=1991))
    assert float(result["National Manufacturing Employment"].sel(time=2050)) < 0.01 * 5e6


def test_world_demand_vanishing_mid_run_drives_employment_towards_zero(
    model, stock_names, assert_finite_non_negative
):
    result = model.run(
        params={
            "World Demand Shock Size": -1,
            "World Demand Shock Start": 2000,
            "World Demand Shock Duration": 60,
        }
    )
    assert_finite_non_negative(result, stock_names)
    assert float(result["Total District Exports"].sel(time=2001)) == 0
    employment = result["Total District Manufacturing Employment"]
    assert float(employment.sel(time=2050)) < 0.01 * float(employment.sel(time=2000))


def test_all_policy_budgets_zero_equals_the_baseline_whatever_the_other_levers(model, baseline):
    levers = {
        "Policy Budget": 0,
        "Policy Capture Share": 0.5,
        "Policy Allocation Rule": 2,
        "Policy Stop Go Cycle Years": 4,
        "Policy Start Year": 2000,
    }
    result = model.run(params=levers)
    for name in (
        "National Manufacturing Employment",
        "Total District Exports",
        "Composite Capital Index",
        EMPLOYMENT,
        "Total Manufacturing Firms",
    ):
        xr.testing.assert_identical(result[name], baseline[name])


def test_a_very_large_budget_saturates_rather_than_explodes(
    model, stock_names, assert_finite_non_negative
):
    """Tenfold budgets at 1e6, 1e7 and 1e8 M€/year per lever change outcomes less and less."""
    result = model.run_ensemble(params={"Policy Budget": np.array([1e6, 1e7, 1e8])})
    assert (result["status"].values == 0).all()
    assert_finite_non_negative(result, stock_names)
    assert float(result["Policy Effect"].max()) < 1
    assert float(result["Social Capital"].max()) <= 1
    for name in (
        "Composite Capital Index",
        "Technical Capital",
        EMPLOYMENT,
        "District Exports",
        "National Composite Capital Index",
    ):
        values = result[name].sel(time=2050)
        first_step = abs(values.sel(member=1) / values.sel(member=0) - 1).max()
        second_step = abs(values.sel(member=2) / values.sel(member=1) - 1).max()
        assert float(second_step) < 0.05, name
        assert float(second_step) < float(first_step), name


def test_policy_money_never_builds_more_public_goods_than_it_costs(model):
    result = model.run(params={"Policy Budget": 1e3})
    built = result["Policy Public Goods Investment"].sum("District")
    spent = result["Public Policy Spending"]
    assert bool((built <= spent + 1e-9).all())


def test_no_drivers_no_district_effect_no_policy_means_no_growth_from_nothing(model):
    """Every exogenous driver off except schooling, no district premium, no policy.

    Schooling raises the national human-capital index and, with it, the district's skills,
    but competitors share that progress: relative to it nothing grows.
    """
    still = {
        "World Demand Growth Rate": 0,
        "Long Run World Demand Growth Rate": 0,
        "Domestic Manufacturing Demand Elasticity": 0,
        "Great Trade Collapse Depth": 0,
        "Pandemic Trade Shock Depth": 0,
        "Low Cost Competition Increase": 0,
        "Early Low Cost Competition Increase": 0,
        "Competitor Quality Upgrading Rate": 0,
        "ICT Wave Maximum": 0,
        "Smart Manufacturing Maximum": 0,
        "Devaluation Cost Advantage": 0,
        "Post Euro Unit Labour Cost Drift": 0,
        "Trend Productivity Growth Rate": 0,
        "Early Trend Productivity Growth Rate": 0,
        "Large Firm System Decline Rate": 0,
        "Maximum District Productivity Premium": 0,
    }
    result = model.run(params=still)
    relative_skills = result["Human Capital"] / result["Schooling Progress Index"]
    checked = {
        name: result[name]
        for name in (
            EMPLOYMENT,
            "District Exports",
            "Technical Capital",
            "Social Capital",
            "Local Public Goods",
            "Export Market Share",
            "Small Firms",
            "Medium Large Firms",
            "Functional Upgrading Share",
            "Composite Capital Index",
        )
    }
    checked["Human Capital relative to schooling"] = relative_skills
    for name, values in checked.items():
        start = values.sel(time=1991)
        assert float((values / start).max()) <= 1 + 1e-9, name
    national = result["National Manufacturing Employment"]
    assert float((national / national.sel(time=1991)).max()) <= 1 + 1e-9


# --- reference behaviour ------------------------------------------------------------


def test_value_added_share_orders_the_three_gvc_models(baseline, roster):
    for year in (2000, 2015, 2030):
        low = archetype_mean(baseline, roster, "Value Added Share", "low-road", year)
        rooted = archetype_mean(
            baseline, roster, "Value Added Share", "locally rooted GVC-led", year
        )
        outward = archetype_mean(
            baseline, roster, "Value Added Share", "outward-oriented GVC-led", year
        )
        assert low < rooted < outward, (year, low, rooted, outward)


def test_mechanics_districts_keep_employment_better_than_person_and_home_goods(baseline, roster):
    mechanics = segment_ratio(baseline, roster, ["Mechanics"], 2007, 2011)
    person_home = segment_ratio(baseline, roster, ["Person Goods", "Home Goods"], 2007, 2011)
    assert mechanics > person_home
    # F23/F24 in order: mechanical districts fared better than clothing and footwear ones
    # in 1993-2008 and the latter shrank. The sign of F23 (mechanics grew) is a calibration
    # target (docs/calibration.md); at the model's default parameters it is not met.
    mechanics_1993_2008 = segment_ratio(baseline, roster, ["Mechanics"], 1993, 2008)
    assert mechanics_1993_2008 > segment_ratio(baseline, roster, ["Person Goods"], 1993, 2008)
    assert segment_ratio(baseline, roster, ["Person Goods"], 1993, 2008) < 1


def test_national_manufacturing_employment_declines_before_2008_and_faster_in_2009(baseline):
    employment = baseline["National Manufacturing Employment"]
    assert float(employment.sel(time=2007)) < float(employment.sel(time=2001))  # F08
    assert 4.4e6 <= float(employment.sel(time=2007)) <= 5.0e6  # F07 range
    yearly = employment.diff("time")
    assert float(yearly.sel(time=2010)) < float(yearly.sel(time=2007))


def test_district_productivity_premium_is_f09_sized_then_fades_with_technology(model, baseline):
    premium = baseline["District Productivity Premium"].mean("District")
    early = float(premium.sel(time=slice(1995, 2006)).mean())
    assert 0.02 <= early <= 0.03  # F09: 0.025 (0.02-0.03) for 1995-2006
    assert float(premium.sel(time=2035)) < 0.3 * float(premium.sel(time=1995))
    faster = model.run(params={"Smart Manufacturing Maximum": 0.8})
    assert float(faster["District Productivity Premium"].mean("District").sel(time=2035)) < float(
        premium.sel(time=2035)
    )


def test_small_firms_exit_more_than_medium_ones_under_cost_pressure(model, baseline):
    shocked = model.run(
        params={
            "Low Cost Shock Size": 1.5,
            "Low Cost Shock Start": 2030,
            "Low Cost Shock Duration": 5,
        }
    )

    def exit_rate(dataset, exits, stock):
        return (dataset[exits] / dataset[stock]).sel(time=2032)

    small_rise = exit_rate(shocked, "Small Firm Exits", "Small Firms") - exit_rate(
        baseline, "Small Firm Exits", "Small Firms"
    )
    medium_rise = exit_rate(shocked, "Medium Large Firm Exits", "Medium Large Firms") - exit_rate(
        baseline, "Medium Large Firm Exits", "Medium Large Firms"
    )
    assert bool((medium_rise >= -1e-12).all())  # districts without pressure: rounding only
    pressed = medium_rise > 1e-6
    # where the shock brings no cost pressure, small-firm exits move only through the
    # multinational share (less than 1e-5 a year)
    assert bool((abs(small_rise) < 1e-5).where(~pressed, True).all())
    assert int(pressed.sum()) >= 10
    assert bool((small_rise > medium_rise).where(pressed, True).all())


def test_offshoring_lowers_local_employment(model, baseline):
    propensity = model.run(params={}, return_columns=["Offshoring Propensity"])[
        "Offshoring Propensity"
    ]
    more = model.run(params={"Offshoring Propensity": propensity.isel(time=0).values * 2})
    assert bool(
        (more["Offshored Share"].sel(time=2020) > baseline["Offshored Share"].sel(time=2020)).all()
    )
    lower = more[EMPLOYMENT].sel(time=2020) < baseline[EMPLOYMENT].sel(time=2020)
    assert int(lower.sum()) >= 0.9 * baseline.sizes["District"]
