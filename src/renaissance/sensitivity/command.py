"""``renaissance sensitivity``: a study from the command line.

::

    renaissance sensitivity baseline --method sobol --samples 1024 \\
        --outputs "National Manufacturing Employment@2040" -o out/sobol

Exit status: 0 done, 2 bad input (nothing run or written), 1 failure while running
(nothing written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from renaissance.sensitivity.sampling import DEFAULT_SEED, METHODS


def _run(args) -> int:
    from renaissance.outputs import check_output_directory
    from renaissance.sensitivity import study
    from renaissance.sensitivity.evaluation import Setup, check_outputs
    from renaissance.sensitivity.executor import check_scheduler
    from renaissance.sensitivity.outputs import parse_outputs
    from renaissance.sensitivity.problem import define_problem
    from renaissance.sensitivity.sampling import check_samples
    from renaissance.sensitivity.writing import write_study

    def fail(status: int, message: str) -> int:
        print(f"renaissance sensitivity: error: {message}", file=sys.stderr)
        return status

    # Everything that can be checked before running is checked here: bad input is 2.
    try:
        check_output_directory(args.output, args.overwrite)
        check_scheduler(args.scheduler)
        check_samples(args.method, args.samples, analysed=True)
        specs = parse_outputs(args.outputs, compared=args.compare is not None)
        problem = define_problem(args.parameters)
        setup = Setup.for_scenario(args.scenario)
        others = [Setup.for_scenario(name) for name in args.compare or ()]
        for each in (setup, *others):
            check_outputs(each, specs)
    except (ValueError, FileNotFoundError, KeyError) as err:
        return fail(2, str(err).strip("'\""))
    try:
        result = study.run_study(
            setup,
            args.outputs,
            method=args.method,
            samples=args.samples,
            problem=problem,
            compare=others or None,
            better=args.better,
            seed=args.seed,
            scheduler=args.scheduler,
            chunk_size=args.chunk_size,
            quiet=args.quiet,
        )
        folder = write_study(result, args.output, overwrite=args.overwrite)
    except (ValueError, FileExistsError) as err:
        return fail(2, str(err))
    except Exception as err:  # a failure while running: report it, write nothing
        return fail(1, f"{type(err).__name__}: {err}")
    from renaissance.sensitivity.honesty import index_warnings

    for indices in [result.indices, *(c.indices for c in result.comparisons)]:
        if indices is not None:
            for warning in index_warnings(indices, args.samples, args.method):
                print(f"renaissance sensitivity: warning: {warning}", file=sys.stderr)
    if not args.quiet:
        print(f"wrote {folder} ({result.samples.runs:,} runs in {result.seconds:.1f} s)")
        for comparison in result.comparisons:
            print(comparison.summary())
    return 0


def add_sensitivity_command(subparsers) -> argparse.ArgumentParser:
    """Register ``renaissance sensitivity`` on a ``subparsers`` object; sets ``handler``."""
    parser = subparsers.add_parser(
        "sensitivity",
        help="sensitivity analysis and policy robustness over the plausible parameter space",
        description=(
            "Sample the plausible ranges of the model's parameters (models/parameters.csv), "
            "run SCENARIO on every sample, and write indices, uncertainty bands, figures "
            "and an HTML summary to DIR. With --compare, also run OTHER on the same "
            "samples and report where SCENARIO beats it."
        ),
    )
    parser.add_argument(
        "scenario", metavar="SCENARIO", help="scenario name (in scenarios/) or YAML file"
    )
    parser.add_argument(
        "--method", choices=METHODS, default="sobol", help="sampler and analysis (default sobol)"
    )
    parser.add_argument(
        "--samples",
        type=int,
        default=256,
        metavar="N",
        help="N: Sobol base samples (a power of two), Morris trajectories, "
        "eFAST samples per parameter (> 64), or LHS points (default 256)",
    )
    parser.add_argument(
        "--outputs",
        nargs="+",
        required=True,
        metavar="METRIC",
        help="metric names or 'Variable@YEAR', 'Variable@START:STOP', "
        "'sum(Variable)@YEAR', 'Variable' (a trajectory)",
    )
    parser.add_argument(
        "--parameters",
        nargs="+",
        metavar="NAME",
        help="parameters to vary, names or patterns with * "
        "(default: every uncertain parameter with a range)",
    )
    parser.add_argument(
        "--compare",
        nargs="+",
        metavar="OTHER_SCENARIO",
        help="other scenarios run on the same samples (each compared with SCENARIO)",
    )
    parser.add_argument(
        "--better",
        choices=("higher", "lower"),
        default="higher",
        help="which direction of the outputs is better (with --compare)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="seed of the samples and intervals (default: the scenario's "
        f"seed, else {DEFAULT_SEED})",
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        metavar="WHERE",
        help="in-process (default), processes, local, or tcp://HOST:PORT",
    )
    parser.add_argument(
        "--chunk-size", type=int, default=1000, metavar="RUNS", help="runs per task (default 1000)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing DIR")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="DIR")
    parser.set_defaults(handler=_run)
    return parser
