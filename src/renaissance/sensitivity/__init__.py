"""Sensitivity analysis, uncertainty bands and policy robustness over the plausible space.

SALib's three steps, with the engine's ensembles in the middle::

    problem = define_problem(["World Demand Growth Rate*", "Hiring Adjustment Time"])
    samples = sample(problem, "sobol", 1024, seed=1)
    outputs = evaluate(Setup.for_scenario("baseline"), samples,
                       ["National Manufacturing Employment@2040"])
    indices = analyze(samples, outputs)

or the whole study, with a second scenario on the same samples::

    result = run_study("system-mix", ["National Manufacturing Employment@2040"],
                       compare="baseline", method="lhs", samples=1000)
    write_study(result, "output/robustness")

See ``docs/sensitivity.md``.
"""

from renaissance.sensitivity.analysis import analyze as analyze
from renaissance.sensitivity.bands import uncertainty_bands as uncertainty_bands
from renaissance.sensitivity.discovery import Rule as Rule
from renaissance.sensitivity.discovery import discover_rules as discover_rules
from renaissance.sensitivity.evaluation import Setup as Setup
from renaissance.sensitivity.evaluation import evaluate as evaluate
from renaissance.sensitivity.evaluation import evaluate_function as evaluate_function
from renaissance.sensitivity.outputs import OutputSpec as OutputSpec
from renaissance.sensitivity.outputs import parse_output as parse_output
from renaissance.sensitivity.problem import Problem as Problem
from renaissance.sensitivity.problem import define_problem as define_problem
from renaissance.sensitivity.robustness import Comparison as Comparison
from renaissance.sensitivity.robustness import compare_outputs as compare_outputs
from renaissance.sensitivity.sampling import METHODS as METHODS
from renaissance.sensitivity.sampling import SampleSet as SampleSet
from renaissance.sensitivity.sampling import sample as sample
from renaissance.sensitivity.study import StudyResult as StudyResult
from renaissance.sensitivity.study import run_study as run_study
from renaissance.sensitivity.writing import open_study as open_study
from renaissance.sensitivity.writing import write_study as write_study

__all__ = [
    "METHODS",
    "Comparison",
    "OutputSpec",
    "Problem",
    "Rule",
    "SampleSet",
    "Setup",
    "StudyResult",
    "analyze",
    "compare_outputs",
    "define_problem",
    "discover_rules",
    "evaluate",
    "evaluate_function",
    "open_study",
    "parse_output",
    "run_study",
    "sample",
    "uncertainty_bands",
    "write_study",
]
