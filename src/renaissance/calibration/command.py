"""``renaissance calibrate``: the command-line face of :func:`renaissance.calibration.calibrate`.

Exit status: 0 when the calibration ran and its outputs were written (whether or not
every target was met: the report says which were not), 2 for bad input (unknown
scenario or parameter, unreadable targets, existing output folder without
``--overwrite``), 1 when the calibration itself failed.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from renaissance.calibration.problem import DEFAULT_PARAMETERS
from renaissance.calibration.run import DEFAULT_SCREENING_SIZE, DEFAULT_STARTS
from renaissance.outputs import OutputError, check_output_directory, output_directory

PWT_FILE_NAME = "pwt91_selected.csv"
HISTORY_FILE_NAME = "history_facts.csv"
"""The Penn World Table extract looked for beside the targets file by default."""


def add_calibrate_command(subparsers) -> argparse.ArgumentParser:
    """Register ``renaissance calibrate`` on a ``subparsers`` object; sets ``handler``."""
    parser = subparsers.add_parser(
        "calibrate",
        help="fit parameters to the stylised facts up to 2008 and the Penn World Table",
        description=(
            "Fit the chosen parameters of SCENARIO, within their plausible ranges "
            "(models/parameters.csv), to the targets of FILE (stylized_facts.csv format) "
            "for the years up to 2008 and to Italy's Penn World Table series: a "
            "Latin-hypercube screening ensemble, then L-BFGS-B from the best starts. "
            "Writes calibrated.yaml (a scenario extending SCENARIO), fit.csv/fit.md, "
            "identifiability.csv and fit.png to DIR."
        ),
    )
    parser.add_argument(
        "scenario",
        metavar="SCENARIO",
        help="scenario name (in scenarios/) or YAML file, e.g. history",
    )
    parser.add_argument(
        "--targets",
        type=Path,
        required=True,
        metavar="FILE",
        help="stylised facts (columns id, quantity, period, value, low, "
        "high, unit, source, reliability, use)",
    )
    parser.add_argument(
        "--pwt",
        type=Path,
        default=None,
        metavar="FILE",
        help=f"Penn World Table extract (default: {PWT_FILE_NAME} beside the targets file)",
    )
    parser.add_argument(
        "--history",
        type=Path,
        default=None,
        metavar="FILE",
        help=f"history facts (default: {HISTORY_FILE_NAME} beside the targets file, if present)",
    )
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="DIR")
    parser.add_argument(
        "--parameters",
        nargs="+",
        metavar="NAME",
        default=None,
        help="parameters to fit (default: " + "; ".join(DEFAULT_PARAMETERS) + ")",
    )
    parser.add_argument(
        "--starts",
        type=int,
        default=DEFAULT_STARTS,
        metavar="N",
        help=f"best screening points refined locally (default {DEFAULT_STARTS})",
    )
    parser.add_argument(
        "--screening",
        type=int,
        default=DEFAULT_SCREENING_SIZE,
        metavar="N",
        help=f"Latin-hypercube points of the screening ensemble (default {DEFAULT_SCREENING_SIZE})",
    )
    parser.add_argument(
        "--max-iterations",
        type=int,
        default=60,
        metavar="N",
        help="iterations of each local refinement (default 60)",
    )
    parser.add_argument(
        "--profiles",
        type=int,
        default=0,
        metavar="N",
        help="profile each parameter at N points, re-fitting the others "
        "(slow; default 0: slices only)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="seed of the screening (default: the scenario's seed)",
    )
    parser.add_argument(
        "--ensemble",
        type=int,
        default=0,
        metavar="CHAINS",
        help="after the point fit, run CHAINS ABC-MCMC chains over the ensemble parameters "
        "(renaissance.calibration.ensemble.ENSEMBLE_PARAMETERS) from the best fit and write "
        "accepted.csv, ensemble.md, ensemble_targets.csv and ensemble_parameters.csv "
        "(default 0: no ensemble)",
    )
    parser.add_argument(
        "--steps",
        type=int,
        default=30,
        metavar="N",
        help="steps of every chain with --ensemble (default 30)",
    )
    parser.add_argument(
        "--allow-miss",
        nargs="+",
        default=[],
        metavar="TARGET",
        help="target ids an accepted set may miss (recorded in ensemble.md); default: none",
    )
    parser.add_argument(
        "--chain-starts",
        type=Path,
        default=None,
        metavar="FILE",
        help="with --ensemble: start the chains from the sets of FILE (an earlier "
        "accepted.csv) that meet the required targets, instead of the best fit",
    )
    parser.add_argument("--no-figure", action="store_true", help="skip fit.png")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing DIR")
    parser.add_argument("--quiet", action="store_true", help="no progress messages")
    parser.set_defaults(handler=run_calibrate_command)
    return parser


def _error(message: str) -> int:
    print(f"renaissance calibrate: error: {message}", file=sys.stderr)
    return 2


def run_calibrate_command(args: argparse.Namespace) -> int:
    """Handler of ``renaissance calibrate``; returns the exit status."""
    from renaissance.calibration.ensemble import calibrate_ensemble, write_ensemble_outputs
    from renaissance.calibration.facts import FactsError, read_facts
    from renaissance.calibration.history_targets import HistoryFactsError, history_targets
    from renaissance.calibration.problem import free_parameters
    from renaissance.calibration.pwt import read_pwt
    from renaissance.calibration.report import write_outputs
    from renaissance.calibration.run import calibrate
    from renaissance.paths import MODEL_FILE
    from renaissance.scenarios import ScenarioError, load_scenario, prepare_scenario

    output = Path(args.output)
    try:
        check_output_directory(output, args.overwrite)
    except OutputError as err:
        return _error(str(err))
    if args.starts < 1 or args.screening < 1 or args.max_iterations < 1:
        return _error("--starts, --screening and --max-iterations must be at least 1")
    if args.ensemble < 0 or args.steps < 1:
        return _error("--ensemble must be 0 or more and --steps at least 1")
    chain_starts = None
    if args.chain_starts is not None:
        import pandas as pd

        if not args.chain_starts.is_file():
            return _error(f"{args.chain_starts}: no such file (--chain-starts)")
        try:
            chain_starts = pd.read_csv(args.chain_starts)
        except (ValueError, pd.errors.ParserError) as err:
            return _error(f"{args.chain_starts}: not a readable CSV table: {err}")
    if args.profiles < 0 or args.profiles == 1:
        return _error("--profiles must be 0 (none) or at least 2")
    pwt_file = args.pwt or Path(args.targets).parent / PWT_FILE_NAME
    history_file = args.history or Path(args.targets).parent / HISTORY_FILE_NAME
    if args.history is None and not history_file.is_file():
        history_file = None
    parameters = tuple(args.parameters) if args.parameters else DEFAULT_PARAMETERS
    try:
        read_facts(args.targets)
        read_pwt(pwt_file)
        if history_file is not None:
            history_targets(history_file)
        free_parameters(parameters, MODEL_FILE)
        scenario = load_scenario(args.scenario)
    except (FactsError, HistoryFactsError, ScenarioError, ValueError, FileNotFoundError) as err:
        return _error(str(err))
    seed = args.seed if args.seed is not None else scenario.seed
    say = (
        (lambda message: None)
        if args.quiet
        else (lambda message: print(f"calibrate: {message}", file=sys.stderr))
    )
    command = "renaissance calibrate " + " ".join(
        shlex.quote(a)
        for a in [
            args.scenario,
            "--targets",
            str(args.targets),
            "--seed",
            str(seed),
            "--starts",
            str(args.starts),
            "--screening",
            str(args.screening),
            "--profiles",
            str(args.profiles),
            *(
                ["--ensemble", str(args.ensemble), "--steps", str(args.steps)]
                if args.ensemble
                else []
            ),
            *(["--parameters", *args.parameters] if args.parameters else []),
            *(["--allow-miss", *args.allow_miss] if args.allow_miss else []),
            *(["--chain-starts", str(args.chain_starts)] if args.chain_starts else []),
        ]
    )
    try:
        with output_directory(output, args.overwrite) as staging:
            result = calibrate(
                prepare_scenario(scenario),
                args.targets,
                pwt_file,
                parameters=parameters,
                screening_size=args.screening,
                starts=args.starts,
                seed=seed,
                max_iterations=args.max_iterations,
                profile_points=args.profiles,
                progress=say,
                history_file=history_file,
            )
            write_outputs(result, staging, command, figure=not args.no_figure)
            if args.ensemble:
                sample = calibrate_ensemble(
                    result,
                    args.ensemble,
                    args.steps,
                    seed,
                    args.allow_miss,
                    progress=say,
                    starts=chain_starts,
                )
                write_ensemble_outputs(sample, args.allow_miss, staging, command)
    except Exception as err:  # the calibration failed: report, leave no partial output
        print(f"renaissance calibrate: failed: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    table = result.fit_table()
    if not args.quiet:
        print(
            f"{int(table['inside'].sum())} of {len(table)} targets inside their ranges; "
            f"outputs in {output}"
        )
        for _, row in table[~table["inside"]].iterrows():
            print(
                f"  not met: {row['target']} ({row['description']}): simulated "
                f"{row['simulated']:.4g}, range [{row['low']:.4g}, {row['high']:.4g}]"
            )
    return 0
