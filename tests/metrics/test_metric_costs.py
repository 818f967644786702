"""Cumulative spending and cost per job or per composite-capital point, by hand."""

import numpy as np
import pytest
from synthetic_results import make_results

from renaissance.metrics import (
    cost_per_capital_point,
    cost_per_job,
    cumulative_spending,
    difference_from_reference,
)


@pytest.fixture(scope="module")
def results():
    return make_results(scenarios=("baseline", "policy", "loser"), growth=(0.0, 0.01, -0.01))


def test_cumulative_spending_is_the_trapezoid_of_yearly_spending(results):
    # 0 in 2025, 10 M€/year from 2026 to 2035: 0.5 × 10 + 9 × 10
    spending = cumulative_spending(results, (2025, 2035))
    assert spending.sel(scenario="policy").item() == pytest.approx(95.0)
    assert spending.sel(scenario="baseline").item() == 0.0
    assert spending.attrs["units"] == "M€"


def test_linear_ramp_is_integrated_exactly(results):
    ramped = results.copy(deep=True)
    years = ramped["time"].values
    ramped["Public Policy Spending"].loc[{"scenario": "policy"}] = np.clip(years - 2026, 0, 2) * 5
    # 0 until 2026, ramp to 10 by 2028, then 10: 10 over the ramp + 7 × 10 to 2035
    assert cumulative_spending(ramped, (2025, 2035)).sel(scenario="policy").item() == 80.0


def test_cost_per_job_is_extra_spending_over_extra_jobs(results):
    # policy employs 10,000 × 0.01 × 15 = 1,500 more people in 2035 than the baseline
    cost = cost_per_job(results, "baseline", (2025, 2035))
    assert cost.sel(scenario="policy").item() == pytest.approx(1000 * 95.0 / 1500.0)
    assert cost.attrs["units"] == "k€/person"


def test_no_cost_per_job_where_jobs_are_lost_or_for_the_reference(results):
    cost = cost_per_job(results, "baseline", (2025, 2035))
    assert np.isnan(cost.sel(scenario="loser").item())
    assert np.isnan(cost.sel(scenario="baseline").item())
    jobs = difference_from_reference(results, "baseline", "employment", "nation", 2035)
    assert jobs.sel(scenario="loser").item() == pytest.approx(-1500.0)


def test_cost_per_capital_point(results):
    # district index: weights 0.1, 0.3, 0.6 of indices 1, 0.8, 0.5 (sum 0.64) times
    # 1 + 0.01 × 15 in 2035: a gain of 0.096, that is 9.6 points of 0.01
    cost = cost_per_capital_point(results, "baseline", (2025, 2035))
    assert cost.sel(scenario="policy").item() == pytest.approx(95.0 / 9.6)
    assert np.isnan(cost.sel(scenario="loser").item())


def test_unknown_reference_is_refused(results):
    with pytest.raises(ValueError, match="not one of"):
        cost_per_job(results, "baseline (no new policy)", (2025, 2035))
