"""Time grid (issue 18): times are t0 + k*dt, so a small dt keeps every saved year."""

from __future__ import annotations

import numpy as np
import pytest
from hostile_helpers import model_text

from renaissance.engine import load_model
from renaissance.engine.integrators import RPREC, clock, step_count


def accumulated(t0, dt, final, saveper):
    """The clock as PySD keeps it: t += dt while t + RPREC dt < final."""
    times, t = [], t0
    while t + dt * RPREC < final:
        times.append(t)
        t = t + dt
    times.append(t)
    return np.array(times)


@pytest.mark.parametrize("dt", [1.0, 0.5, 0.25, 0.125, 2.0**-6, 2.0**-10])
def test_power_of_two_steps_give_the_accumulated_times_exactly(dt):
    times, _ = clock(1991.0, dt, 2050.0, 1.0)
    np.testing.assert_array_equal(times, accumulated(1991.0, dt, 2050.0, 1.0))


@pytest.mark.parametrize("dt", [0.1, 0.01, 0.001, 0.0001, 0.3])
def test_small_steps_keep_every_save_time(dt):
    times, saves = clock(1991.0, dt, 2050.0, 1.0) if dt != 0.3 else clock(0.0, dt, 9.0, 0.9)
    expected = 60 if dt != 0.3 else 11
    assert saves.sum() == expected
    assert times[-1] == pytest.approx(2050.0 if dt != 0.3 else 9.0)


def test_step_count_matches_the_loop_condition():
    for t0, dt, final in [(0, 0.1, 1), (1991, 0.0001, 2050), (0, 1, 0), (0, 0.3, 1)]:
        assert step_count(t0, dt, final) == len(accumulated(t0, dt, final, 1)) - 1 or (
            dt in (0.1, 0.0001)  # accumulation drifts; t0 + k dt does not
        )


def test_dt_of_a_ten_thousandth_keeps_all_saved_years(tmp_path):
    path = tmp_path / "m.mdl"
    path.write_text(
        model_text("stock = INTEG(1, 0)\n~ Dmnl\n~ |\n", final=2050, initial=1991, dt=0.0001),
        encoding="utf-8",
    )
    result = load_model(path).run()
    np.testing.assert_allclose(result.time.values, np.arange(1991.0, 2051.0))
    np.testing.assert_allclose(result["stock"].values, np.arange(60.0), atol=1e-6)
