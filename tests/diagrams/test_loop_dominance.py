"""Loop scores (Loops that Matter) on logistic growth, whose answer is known, and the CLI."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from renaissance.cli import main
from renaissance.diagrams import link_polarities, model_loops, read_structure
from renaissance.loops import link_score_series, loop_score_sets, record_run

LOGISTIC = Path(__file__).with_name("logistic.mdl")
"""Population = INTEG(Population * Fractional Growth); Fractional Growth =
0.5 * (1 - Population / 1000): net growth peaks (the inflection) at Population = 500."""


@pytest.fixture(scope="module")
def logistic():
    structure = read_structure(LOGISTIC)
    loops = model_loops(structure, link_polarities(structure))
    trajectory = record_run(LOGISTIC)
    return structure, loops, trajectory, loop_score_sets(trajectory, structure, loops)[()]


def test_logistic_growth_has_one_reinforcing_and_one_balancing_loop(logistic):
    _, loops, _, _ = logistic
    assert sorted((loop.polarity, len(loop.variables)) for loop in loops) == [("B", 3), ("R", 2)]


def test_reinforcing_dominates_before_the_inflection_and_balancing_after(logistic):
    _, loops, trajectory, scores = logistic
    population = np.array([float(env["population"][0]) for env in trajectory.environments])
    reinforcing = next(loop.identifier for loop in loops if loop.polarity == "R")
    balancing = next(loop.identifier for loop in loops if loop.polarity == "B")
    strength = np.abs(scores["relative_score"])
    r_wins = (strength.sel(loop=reinforcing) > strength.sel(loop=balancing)).values
    # the score at step k compares the changes from k-1 to k that each input makes with
    # the others held at k-1: Δ_P net = f(k-1) ΔP against Δ_f net = P(k-1) Δf, and
    # f(k-1) > P(k-1) · 0.5 / 1000 exactly while P(k-1) < 500
    before = population[:-1] < 500
    assert r_wins[before].all()
    assert not r_wins[~before].any()
    assert before.any() and (~before).any()


def test_absolute_relative_scores_sum_to_one(logistic):
    _, _, _, scores = logistic
    total = np.abs(scores["relative_score"]).sum("loop").values
    np.testing.assert_allclose(total, 1.0, rtol=1e-12)


def test_link_scores_of_single_input_links(logistic):
    structure, _, trajectory, _ = logistic
    # Fractional Growth depends on Population only, and falls as it rises: score −1
    fractional = link_score_series(trajectory, structure, "population", "fractional_growth")
    np.testing.assert_allclose(fractional, -1.0, rtol=1e-9)
    # the only flow of the stock explains all of its change: score +1
    inflow = link_score_series(trajectory, structure, "net_growth", "population")
    np.testing.assert_allclose(inflow, 1.0, rtol=1e-12)


def test_loops_command_writes_the_table_and_figure(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["loops", "baseline", "--district", "Prato", "Canelli", "-o", str(out)]) == 0
    table = pd.read_csv(out / "loop_scores.csv")
    assert {"Prato", "Canelli"} <= set(table["place"])
    assert table["time"].min() == 1992 and table["time"].max() == 2050
    dominant = pd.read_csv(out / "dominant_loops.csv")
    assert (dominant.groupby(["time", "place"]).size() == 1).all()
    assert (out / "loop_dominance.png").read_bytes()[:4] == b"\x89PNG"
    assert "loop_dominance.svg" in capsys.readouterr().out


def test_loops_command_refuses_an_unknown_district_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["loops", "baseline", "--district", "Prat", "-o", str(out)]) == 2
    assert "did you mean 'Prato'" in capsys.readouterr().err
    assert not out.exists()


def test_loops_command_refuses_an_unknown_scenario(tmp_path, capsys):
    assert main(["loops", "no-such-scenario", "-o", str(tmp_path / "out")]) == 2
    assert "no-such-scenario" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
