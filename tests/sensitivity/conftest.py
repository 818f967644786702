"""Fixtures of the sensitivity tests: a short horizon keeps model runs to milliseconds."""

import pytest
from sensitivity_reference import SHORT_HORIZON


@pytest.fixture(scope="session")
def short_setup():
    """The bare showcase model, 1991-1996 at dt 1/4."""
    from renaissance.sensitivity import Setup

    return Setup.for_model(final_time=SHORT_HORIZON, dt=0.25)


@pytest.fixture(scope="session")
def small_problem():
    """Five parameters with visible effects within five years."""
    from renaissance.sensitivity import define_problem

    return define_problem(["World Demand Growth Rate*", "Hiring Adjustment Time"])
