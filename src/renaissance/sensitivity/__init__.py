"""Sensitivity analysis, uncertainty bands and policy robustness over the plausible space.

SALib's three steps, with the engine's ensembles in the middle::

    problem = define_problem(["World Demand Growth Rate*", "Hiring Adjustment Time"])
    samples = sample(problem, "sobol", 1024, seed=1)
    outputs = evaluate(Setup.for_scenario("baseline"), samples,
                       ["National Manufacturing Employment@2040"])
    indices = analyze(samples, outputs)

See ``docs/sensitivity.md``.
"""

from renaissance.sensitivity.analysis import analyze as analyze
from renaissance.sensitivity.evaluation import Setup as Setup
from renaissance.sensitivity.evaluation import evaluate as evaluate
from renaissance.sensitivity.evaluation import evaluate_function as evaluate_function
from renaissance.sensitivity.outputs import OutputSpec as OutputSpec
from renaissance.sensitivity.outputs import parse_output as parse_output
from renaissance.sensitivity.problem import Problem as Problem
from renaissance.sensitivity.problem import define_problem as define_problem
from renaissance.sensitivity.sampling import METHODS as METHODS
from renaissance.sensitivity.sampling import SampleSet as SampleSet
from renaissance.sensitivity.sampling import sample as sample

__all__ = [
    "METHODS",
    "OutputSpec",
    "Problem",
    "SampleSet",
    "Setup",
    "analyze",
    "define_problem",
    "evaluate",
    "evaluate_function",
    "parse_output",
    "sample",
]
