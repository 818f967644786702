"""``renaissance list | validate | run | compare``: the scenario commands of the CLI.

Exit status: 0 success, 2 bad input (the message names the file, key and line), 1 a
failure while running. Results are written into a temporary folder renamed into place
when complete (:mod:`renaissance.outputs`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from renaissance.input_errors import InputError
from renaissance.interrupts import deferred_interrupts
from renaissance.limits import add_limit_arguments
from renaissance.outputs import check_output_directory, output_directory
from renaissance.scenarios import ScenarioError, library_names, load_scenario

BAD_INPUT = 2
FAILED = 1
LISTS = ("scenarios", "instruments", "parameters", "districts", "regions", "metrics")


def _error(command: str, message) -> None:
    print(f"renaissance {command}: error: {message}", file=sys.stderr)


def _load_all(references) -> list:
    return [load_scenario(reference) for reference in references]


def _list(args) -> int:
    from renaissance.parameters import parameter_table
    from renaissance.paths import MODEL_FILE
    from renaissance.scenarios.vocabulary import vocabulary

    what = args.what or LISTS
    words = vocabulary(args.roster)
    for item in what:
        print(f"# {item}")
        if item == "scenarios":
            for name in library_names():
                scenario = load_scenario(name)
                print(
                    f"{name:22s} {scenario.total_budget:7.0f} M€/year  "
                    f"{' '.join(scenario.description.split())[:80]}"
                )
        elif item == "instruments":
            print("\n".join(words.instruments))
        elif item == "parameters":
            table = parameter_table(MODEL_FILE)
            for row in table.itertuples():
                interval = "" if row.low != row.low else f"[{row.low:g}, {row.high:g}]"
                print(f"{row.name:60s} {row.default:>10g} {row.units:18s} {interval}")
        elif item == "districts":
            table = words.roster_table
            for row in table.itertuples():
                print(
                    f"{row.district:24s} {row.region:22s} {row.segment:13s} "
                    f"{row.archetype:26s} {row.trajectory}"
                )
        elif item == "regions":
            print("\n".join(words.regions))
        elif item == "metrics":
            from renaissance.metrics import describe_metric, metric_names

            print(f"{'name (for --outputs)':44s} {'unit':18s} meaning (window)")
            for name in metric_names():
                units, description = describe_metric(name)
                print(f"{name:44s} {units:18s} {description}")
        print()
    return 0


def _validate(args) -> int:
    status = 0
    for reference in args.files:
        try:
            scenario = load_scenario(reference)
        except InputError as error:
            _error("validate", error)
            status = BAD_INPUT
            continue
        print(
            f"{reference}: ok ({scenario.name}: {len(scenario.policies)} policies, "
            f"{scenario.total_budget:g} M€/year, {len(scenario.shocks)} shocks, "
            f"{len(scenario.parameters)} parameters, roster {scenario.roster})"
        )
    return status


def _run(args) -> int:
    from renaissance.comparison import netcdf_ready, run_scenarios
    from renaissance.result_tables import write_table
    from renaissance.safe_names import file_in

    scenarios = _load_all(args.files)
    _check_distinct_file_names(scenarios)
    check_output_directory(args.output, args.overwrite)
    with output_directory(args.output, args.overwrite) as scratch:
        for scenario in scenarios:
            result = run_scenarios([scenario], quiet=args.quiet, variables=args.variables).isel(
                scenario=0, drop=False
            )
            with deferred_interrupts():  # an interrupt inside HDF5 can hang its close
                netcdf_ready(result).to_netcdf(
                    file_in(scratch, scenario.name, ".nc"), engine="netcdf4"
                )
            table = result.drop_vars(
                [c for c in result.coords if c not in result.dims and c != "time"]
            )
            used = write_table(table, file_in(scratch, scenario.name, ".csv"), args.csv_format)
            if used != args.csv_format and not args.quiet:
                print(
                    f"{scenario.name}: CSV in long format (time, variable, cell, value, "
                    "units): the wide table would not fit a spreadsheet",
                    file=sys.stderr,
                )
    if not args.quiet:
        print(f"wrote {len(scenarios)} scenario(s) to {args.output}", file=sys.stderr)
    return 0


def _check_distinct_file_names(scenarios) -> None:
    """``run`` writes NAME.nc per scenario: two names that one file system (which may
    ignore case) takes as one would overwrite each other."""
    seen: dict = {}
    for scenario in scenarios:
        key = scenario.name.casefold()
        if key in seen:
            raise ScenarioError(
                scenario.path or scenario.name,
                "name",
                f"{scenario.name!r}: another scenario given is named {seen[key]!r}; their "
                "result files would overwrite each other (names must differ, also in case)",
            )
        seen[key] = scenario.name


def default_windows(horizon) -> list[tuple[float, float]]:
    """Windows of the metrics: from 2025 (the year before the library's policies start,
    or the first reported year if later) to ten years on and to the end of the horizon."""
    first = 2025.0 if horizon.start <= 2025.0 < horizon.stop else horizon.start
    windows = [(first, min(first + 10.0, horizon.stop)), (first, horizon.stop)]
    return list(dict.fromkeys(windows))


def _window(text: str) -> tuple[float, float]:
    import argparse

    try:
        first, last = (float(part) for part in text.split(":"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"window {text!r} is not FIRST:LAST (years)") from None
    if not last > first:
        raise argparse.ArgumentTypeError(f"window {text!r}: LAST must be after FIRST")
    return first, last


def describe_targets(targets) -> str:
    """The districts a policy reaches, in words: ``all`` or ``regions: Veneto, Apulia``."""
    if targets.everything:
        return "all"
    parts = []
    for field in ("districts", "regions", "archetypes", "trajectories", "segments"):
        names = getattr(targets, field)
        if names:
            parts.append(f"{field}: {', '.join(names)}")
    return "; ".join(parts)


DEFAULT_MEMBERS = 100
"""Members drawn from the ensemble when ``--members`` is not given: enough for medians,
90% bands and pairwise shares to two digits, and a main job of about half a minute."""


def _ensemble_members(args, scenario):
    """The parameter sets of ``--ensemble``/``--members`` (None: one run per scenario)."""
    from renaissance.ensemble_members import (
        DEFAULT_ENSEMBLE_FILE,
        draw_members,
        read_members,
    )

    path = args.ensemble
    if args.no_ensemble:
        if path is not None or args.members is not None:
            raise InputError("--no-ensemble", "", "cannot be given with --ensemble or --members")
        return None
    if path is None:
        if not DEFAULT_ENSEMBLE_FILE.is_file():
            if args.members is not None:
                raise InputError(
                    "--members",
                    "",
                    f"no ensemble to draw from: the calibration's file "
                    f"models/calibration/{DEFAULT_ENSEMBLE_FILE.name} is not there; "
                    "give --ensemble FILE",
                )
            return None
        path = DEFAULT_ENSEMBLE_FILE
    if args.members is not None and args.members < 1:
        raise InputError("--members", "", f"{args.members} is not allowed: give N >= 1")
    table = read_members(path, roster=scenario.roster)
    count = args.members if args.members is not None else min(DEFAULT_MEMBERS, len(table))
    return draw_members(table, count, args.seed, file=str(path))


def _ensemble_provenance(args, members) -> dict:
    import hashlib

    from renaissance.ensemble_members import DEFAULT_ENSEMBLE_FILE

    path = Path(args.ensemble or DEFAULT_ENSEMBLE_FILE)
    return {
        "ensemble_file": path.name,
        "ensemble_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "ensemble_members": len(members),
        "ensemble_seed": args.seed,
        "ensemble_parameters": ", ".join(members.columns),
        "ensemble_member_ids": " ".join(str(member) for member in members.index),
    }


def _compare(args) -> int:
    from renaissance.comparison import check_comparable, netcdf_ready, run_scenarios
    from renaissance.metrics import format_table
    from renaissance.report import write_comparison_outputs

    scenarios = _load_all(args.files)
    if len(scenarios) < 2:
        raise ScenarioError(args.files[0], "", "compare needs at least two scenarios")
    check_comparable(scenarios)
    check_output_directory(args.output, args.overwrite)
    members = _ensemble_members(args, scenarios[0])
    results = run_scenarios(scenarios, quiet=args.quiet, members=members)
    if members is not None:
        results.attrs.update(_ensemble_provenance(args, members))
    meta = {
        s.name: {
            "description": " ".join(s.description.split()),
            "file": s.path.name if s.path else "",
            "sha256": s.sha256,
            "policies": [
                {
                    "instrument": p.instrument,
                    "scale": p.scale.lower(),
                    "budget": p.budget,
                    "start": p.start,
                    "end": p.end,
                    "allocation": p.allocation,
                    "capture_share": p.capture_share,
                    "stop_and_go": p.stop_and_go.cycle_years if p.stop_and_go else None,
                    "targets": describe_targets(p.targets),
                }
                for p in s.policies
            ],
        }
        for s in scenarios
    }
    reference = args.reference or scenarios[0].name
    if reference not in meta:
        raise ScenarioError(
            args.files[0],
            "--reference",
            f"{reference!r} is not one of the compared scenarios ({', '.join(meta)})",
        )
    windows = args.windows or default_windows(scenarios[0].horizon)
    for first, last in windows:
        if not scenarios[0].horizon.start <= first < last <= scenarios[0].horizon.stop:
            raise ScenarioError(
                args.files[0],
                "--windows",
                f"window {first:g}:{last:g} is not inside the horizon "
                f"{scenarios[0].horizon.start:g}-{scenarios[0].horizon.stop:g}",
            )
    with output_directory(args.output, args.overwrite) as scratch:
        with deferred_interrupts():  # an interrupt inside HDF5 can hang its close
            netcdf_ready(results).to_netcdf(scratch / "results.nc", engine="netcdf4")
        outputs = write_comparison_outputs(
            results, meta, scratch, reference=reference, windows=windows
        )
    print(format_table(outputs.table))
    if not args.quiet:
        print(
            f"wrote results.nc, metrics.csv, figures and report.html to {args.output}",
            file=sys.stderr,
        )
    return 0


def _schema(args) -> int:
    import json

    if args.what == "roster":
        from renaissance.roster_schema import table_schema

        schema = table_schema()
    else:
        from renaissance.scenarios import json_schema

        schema = json_schema()
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0


def _guarded(command: str, handler):
    """Map bad input to exit 2 and failures while running to exit 1, with the message."""

    def run(args) -> int:
        from renaissance.engine.errors import ModelStructureError, UnsupportedFeatureError

        try:
            return handler(args)
        except BrokenPipeError:
            raise  # the reader went away (`| head`): main() exits quietly
        except (InputError, UnsupportedFeatureError, ModelStructureError) as error:
            _error(command, error)
            return BAD_INPUT
        except (RuntimeError, FloatingPointError, MemoryError, OSError) as error:
            _error(command, f"failed while running: {error}")
            return FAILED

    return run


def add_scenario_commands(subparsers) -> None:
    """Register ``list``, ``validate``, ``run`` and ``compare``."""
    parser = subparsers.add_parser(
        "list", help="list scenarios, instruments, parameters, districts or regions"
    )
    parser.add_argument(
        "what",
        nargs="*",
        choices=LISTS,
        metavar="WHAT",
        help=f"any of {', '.join(LISTS)} (all if omitted)",
    )
    parser.add_argument(
        "--roster",
        default="showcase",
        help="roster for districts and regions (showcase, national, a folder)",
    )
    parser.set_defaults(handler=_guarded("list", _list))

    parser = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of scenario files (for editors), or the roster schema",
    )
    parser.add_argument(
        "what",
        nargs="?",
        default="scenario",
        choices=("scenario", "roster"),
        help="scenario (default): JSON Schema of scenario files; roster: Table Schema of "
        "districts.csv and regions.csv",
    )
    parser.set_defaults(handler=_guarded("schema", _schema))

    parser = subparsers.add_parser("validate", help="check scenario files without running them")
    parser.add_argument("files", nargs="+", metavar="FILE", help="scenario files or names")
    add_limit_arguments(parser)
    parser.set_defaults(handler=_guarded("validate", _validate))

    for name, handler, text in (
        ("run", _run, "run scenarios; one NetCDF and one CSV per scenario"),
        ("compare", _compare, "compare scenarios: results.nc, metrics, figures, report.html"),
    ):
        parser = subparsers.add_parser(name, help=text, description=text)
        parser.add_argument(
            "files",
            nargs="+",
            metavar="FILE",
            help="scenario files or library names (see 'renaissance list')",
        )
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            required=True,
            metavar="DIR",
            help="output folder (created; must not exist unless --overwrite)",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="replace an existing output folder once the new one is done",
        )
        parser.add_argument("--quiet", action="store_true", help="no progress messages")
        add_limit_arguments(parser)
        if name == "run":
            parser.add_argument(
                "--variables",
                nargs="+",
                metavar="PATTERN",
                help="only the variables matching these shell patterns, e.g. 'National *' "
                "'District Exports' (default: all)",
            )
            parser.add_argument(
                "--csv-format",
                default="auto",
                choices=("auto", "wide", "long"),
                help="wide: one column per variable cell, 'Name[cell] (units)'; long: rows "
                "of time, variable, cell, value, units; auto (default): wide if it fits a "
                "spreadsheet (16,384 columns), else long",
            )
        if name == "compare":
            parser.add_argument(
                "--reference",
                metavar="NAME",
                help="scenario the others are measured against (default: the first)",
            )
            parser.add_argument(
                "--windows",
                nargs="+",
                type=_window,
                metavar="FIRST:LAST",
                help="years of the change metrics (default 2025:2035 2025:END, in the horizon)",
            )
            parser.add_argument(
                "--ensemble",
                type=Path,
                metavar="FILE",
                help="CSV of parameter sets (member,<parameter>,...[,distance]); every "
                "scenario runs over the same sets (default: models/calibration/accepted.csv "
                "when it exists, otherwise one run per scenario)",
            )
            parser.add_argument(
                "--members",
                type=int,
                metavar="N",
                help=f"a seeded subsample of N members of the ensemble (default "
                f"{DEFAULT_MEMBERS}, or all if the file has fewer)",
            )
            parser.add_argument(
                "--no-ensemble",
                action="store_true",
                help="one run per scenario, even when models/calibration/accepted.csv exists",
            )
            parser.add_argument(
                "--seed",
                type=int,
                default=2026,
                help="seed of the --members subsample (default 2026; recorded in provenance)",
            )
        parser.set_defaults(handler=_guarded(name, handler))
