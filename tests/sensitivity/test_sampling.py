"""Samplers: sizes, seeds, ranges and clear errors."""

import numpy as np
import pytest

from renaissance.sensitivity import Problem, sample

PROBLEM = Problem.from_bounds({"a": (0.0, 1.0), "b": (10.0, 20.0), "c": (-1.0, 1.0)})


@pytest.mark.parametrize(
    ("method", "samples", "runs"),
    [("sobol", 64, 64 * 5), ("morris", 10, 10 * 4), ("fast", 65, 65 * 3), ("lhs", 41, 41)],
)
def test_number_of_runs(method, samples, runs):
    assert sample(PROBLEM, method, samples, seed=1).runs == runs


def test_second_order_sobol_doubles_the_cross_samples():
    assert sample(PROBLEM, "sobol", 64, seed=1, second_order=True).runs == 64 * 8


@pytest.mark.parametrize("method", ["sobol", "morris", "fast", "lhs"])
def test_same_seed_same_samples_other_seed_other_samples(method):
    first = sample(PROBLEM, method, 128, seed=0).values
    np.testing.assert_array_equal(first, sample(PROBLEM, method, 128, seed=0).values)
    assert not np.array_equal(first, sample(PROBLEM, method, 128, seed=1).values)


@pytest.mark.parametrize("method", ["sobol", "morris", "fast", "lhs"])
def test_samples_stay_in_their_ranges(method):
    values = sample(PROBLEM, method, 128, seed=3).values
    low, high = np.array(PROBLEM.bounds).T
    assert np.all(values >= low) and np.all(values <= high)


@pytest.mark.parametrize("samples", [100, 1000, 1, 0])
def test_sobol_needs_a_power_of_two(samples):
    with pytest.raises(ValueError, match=rf"N={samples} is not a power of two"):
        sample(PROBLEM, "sobol", samples)


def test_fast_needs_enough_samples():
    with pytest.raises(ValueError, match=r"fast: samples N=64 must exceed 4 M\^2 = 64"):
        sample(PROBLEM, "fast", 64)


def test_latin_hypercube_needs_more_runs_only_to_be_analysed():
    from renaissance.sensitivity import analyze, evaluate_function

    drawn = sample(PROBLEM, "lhs", 41, seed=1)  # enough for bands
    with pytest.raises(ValueError, match=r"lhs: samples N=41 must be at least 42: its RBD"):
        analyze(drawn, evaluate_function(lambda x: x[:, 0], drawn))
    smallest = sample(PROBLEM, "lhs", 42, seed=1)
    indices = analyze(smallest, evaluate_function(lambda x: x[:, 0], smallest))
    assert np.isfinite(indices["S1_conf"]).all()


def test_unknown_method_suggests_a_close_one():
    with pytest.raises(ValueError, match=r"method 'sobel' .* did you mean 'sobol'"):
        sample(PROBLEM, "sobel", 64)


@pytest.mark.parametrize("seed", [-1, 1.5, True, "1"])
def test_bad_seed_is_refused(seed):
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        sample(PROBLEM, "lhs", 64, seed=seed)


def test_samples_as_a_table_have_one_column_per_parameter():
    frame = sample(PROBLEM, "lhs", 64, seed=2).to_frame()
    assert list(frame.columns) == ["a", "b", "c"] and len(frame) == 64
