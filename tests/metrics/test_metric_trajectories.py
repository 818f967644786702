"""Trajectory classification rules on constructed firm and value-chain paths."""

import pytest
from synthetic_results import make_results, set_firm_paths

from renaissance.metrics import (
    BELLANDI_TRAJECTORIES,
    GVCThresholds,
    TrajectoryThresholds,
    bellandi_trajectory,
    gvc_model,
)

WINDOW = (2025, 2040)


def classify(small, leading, employment, thresholds=None):
    results = set_firm_paths(make_results(), "Beta", small, leading, employment)
    labels = bellandi_trajectory(results, WINDOW, thresholds or TrajectoryThresholds())
    return set(labels.sel(District="Beta").values.tolist())


@pytest.mark.parametrize(
    ("small", "leading", "employment", "expected"),
    [
        (0.3, 0.4, 0.3, "decline"),  # capacity and density both halved
        (1.2, 1.1, 1.2, "general development"),  # all firm types grow
        (0.6, 1.3, 0.9, "consolidation of medium firms"),  # leaders grow, small fall
        (1.0, 0.7, 1.0, "classic"),  # small firms hold, leaders do not
        (0.7, 0.8, 0.8, "restructuring"),  # small firms shrink, not collapse
        (0.6, 0.95, 0.8, "restructuring"),  # leaders hold but do not grow
        (0.3, 0.4, 0.8, "restructuring"),  # firms collapse but employment holds
        (1.0, 1.0, 1.0, "classic"),  # everything holds: small firms hold, no growth
    ],
)
def test_bellandi_rules(small, leading, employment, expected):
    assert classify(small, leading, employment) == {expected}


def test_thresholds_move_the_boundary():
    # a 20% fall of small firms is "holding" with a looser hold ratio
    assert classify(0.8, 1.3, 1.0) == {"consolidation of medium firms"}
    loose = TrajectoryThresholds(hold_ratio=0.75)
    assert classify(0.8, 1.3, 1.0, loose) == {"classic"}


def test_every_district_gets_exactly_one_known_label():
    labels = bellandi_trajectory(make_results(), WINDOW)
    assert set(labels.dims) == {"scenario", "District"}
    assert set(labels.values.ravel()) <= set(BELLANDI_TRAJECTORIES)


def with_value_chain(upgrading, offshored):
    results = make_results()
    results["Functional Upgrading Share"].loc[{"District": "Gamma"}] = upgrading
    results["Offshored Share"].loc[{"District": "Gamma"}] = offshored
    return gvc_model(results, 2040).sel(District="Gamma")


@pytest.mark.parametrize(
    ("upgrading", "offshored", "expected"),
    [
        (0.05, 0.01, "low-road"),  # few high-value functions
        (0.15, 0.30, "low-road"),  # offshored without moving up
        (0.35, 0.30, "outward-oriented GVC-led"),  # offshored, high-value functions kept
        (0.35, 0.02, "locally-rooted GVC-led"),  # manufacturing kept at home
        (0.15, 0.02, "locally-rooted GVC-led"),
        (0.20, 0.06, "outward-oriented GVC-led"),  # both thresholds inclusive
    ],
)
def test_gvc_rules(upgrading, offshored, expected):
    assert set(with_value_chain(upgrading, offshored).values.tolist()) == {expected}


def test_gvc_thresholds_are_configurable():
    results = make_results()
    strict = GVCThresholds(low_upgrading=0.2)
    labels = gvc_model(results, 2040, strict)
    assert set(labels.values.ravel()) == {"low-road"}
