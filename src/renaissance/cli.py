"""Command line interface: ``renaissance <command> …``.

Each command registers itself on the ``subparsers`` of :func:`build_parser` with an
``add_<command>`` function and sets ``handler``; :func:`main` dispatches to it. Nothing
runs at import time.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import warnings
from pathlib import Path


def _parse_param(text: str) -> tuple[str, str | None, float]:
    """``Name=1.5`` or ``Name[a,b]=1.5`` -> (name, cell or None, value)."""
    name, sep, value = text.rpartition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"--params entry {text!r} is not NAME=VALUE")
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--params entry {text!r}: value {value!r} is not a number"
        ) from None
    if not math.isfinite(number):
        raise argparse.ArgumentTypeError(
            f"--params entry {text!r}: value {value!r} is not a finite number"
        )
    from renaissance.engine.params import split_cell

    name, cell = split_cell(name)
    return name, cell, number


def _positive(text: str) -> float:
    """A finite number > 0 (``--dt``, ``--saveper``)."""
    try:
        number = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(number) or number <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: must be a finite number > 0")
    return number


def _finite(text: str) -> float:
    """A finite number (``--final-time``)."""
    try:
        number = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(number):
        raise argparse.ArgumentTypeError(f"{text!r}: must be a finite number")
    return number


def _params(entries) -> dict:
    params: dict = {}
    for name, cell, value in entries or ():
        if cell is None:
            params[name] = value
        else:
            params.setdefault(name, {})[cell] = value
    return params


def _write_atomically(path: Path, write) -> None:
    """Write through a temporary file in the same folder, then rename."""
    path = path.resolve()
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _check_output_file(path: Path | None) -> None:
    """Refuse ``-o`` before any work: a folder, or a file in a folder that does not exist."""
    from renaissance.outputs import OutputError

    if path is None:
        return
    if path.is_dir():
        raise OutputError(f"output {path} is a folder; give a file name ending in .csv or .nc")
    if path.exists() and not path.is_file():
        raise OutputError(f"output {path} exists and is not a regular file")
    if not path.absolute().parent.is_dir():
        raise OutputError(f"output {path}: the folder {path.absolute().parent} does not exist")
    if not os.access(path.absolute().parent, os.W_OK | os.X_OK):
        raise OutputError(f"output {path}: the folder {path.absolute().parent} is not writable")


def _simulate(args) -> int:
    from renaissance.engine.errors import (
        ModelFileError,
        ModelStructureError,
        UnsupportedFeatureError,
    )

    if not args.model.is_file():
        raise ModelFileError(args.model, "", "the model file does not exist")
    _check_output_file(args.output)
    try:
        return _simulate_checked(args)
    except (ModelStructureError, UnsupportedFeatureError) as error:
        if args.model.name in str(error):
            raise
        raise ModelFileError(args.model, "", str(error)) from None  # name the file


def _check_flags(model, args) -> None:
    """Refuse --params and --return-columns the model does not have, before running."""
    from renaissance.input_errors import InputError

    if not hasattr(model, "plan"):  # PySD checks its own
        return
    for flag, check in (
        ("--params", lambda: model._overrides(_params(args.params), ensemble=False)),
        ("--return-columns", lambda: model._returned(args.return_columns)),
    ):
        try:
            check()
        except (ValueError, TypeError, KeyError) as error:
            raise InputError(flag, "", str(error)) from None


def _simulate_checked(args) -> int:
    from renaissance.engine import load_model
    from renaissance.engine.results import to_table
    from renaissance.outputs import netcdf_safe

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # PySD's parser chatter
        if args.engine == "pysd":
            model = load_model(args.model, engine="pysd")
        else:
            model = load_model(args.model, engine=args.engine, backend=args.backend)
    _check_flags(model, args)
    result = model.run(
        params=_params(args.params),
        integrator=args.integrator,
        dt=args.dt,
        saveper=args.saveper,
        final_time=args.final_time,
        return_columns=args.return_columns,
    )
    if int(result["status"]) != 0:
        print(
            f"warning: the state went non-finite at time {float(result['failure_time'])}",
            file=sys.stderr,
        )
    if args.output is None:
        to_table(result).to_csv(sys.stdout)
    elif args.output.suffix.lower() == ".nc":
        _write_atomically(args.output, lambda p: netcdf_safe(result).to_netcdf(p))
    else:
        _write_atomically(args.output, lambda p: to_table(result).to_csv(p))
    return 0


def add_simulate(subparsers) -> None:
    """Register ``renaissance simulate``."""
    from renaissance.engine.model import ADAPTIVE, FIXED_STEP
    from renaissance.limits import add_limit_arguments

    parser = subparsers.add_parser(
        "simulate",
        help="run one Vensim model file and write its results",
        description=(
            "Run MODEL.mdl once and write one column per variable (subscripted variables "
            "flattened as Name[a,b]) indexed by Time at SAVEPER times, like PySD and Vensim."
        ),
    )
    parser.add_argument("model", type=Path, metavar="MODEL.mdl")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUT.csv|OUT.nc",
        help="output file (.csv table or .nc dataset); CSV on stdout if absent",
    )
    parser.add_argument("--integrator", default="euler", choices=FIXED_STEP + ADAPTIVE)
    parser.add_argument(
        "--engine",
        default="fast",
        choices=("fast", "pysd", "auto"),
        help="fast (default), pysd, or auto (fast, PySD if unsupported)",
    )
    parser.add_argument(
        "--backend",
        default="auto",
        choices=("auto", "vm", "numpy"),
        help="how the fast engine runs euler/rk4: auto (default: the compiled virtual "
        "machine when the model can be traced, else numpy), vm, numpy",
    )
    parser.add_argument("--dt", type=_positive, help="TIME STEP override")
    parser.add_argument("--saveper", type=_positive, help="SAVEPER override")
    parser.add_argument("--final-time", type=_finite, help="FINAL TIME override")
    parser.add_argument(
        "--params",
        nargs="+",
        type=_parse_param,
        metavar="NAME=VALUE",
        help="parameter overrides, e.g. 'Hiring Time=3' 'Growth[home]=0.02'",
    )
    parser.add_argument(
        "--return-columns", nargs="+", metavar="NAME", help="variables to write (all by default)"
    )
    add_limit_arguments(parser)
    parser.set_defaults(handler=_simulate)


def build_parser() -> argparse.ArgumentParser:
    from renaissance._version import __version__

    parser = argparse.ArgumentParser(
        prog="renaissance",
        description="Multi-scale system-dynamics model of industrial renaissance.",
    )
    parser.add_argument("--version", action="version", version=f"renaissance {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    from renaissance.calibration.command import add_calibrate_command
    from renaissance.diagrams.command import add_diagram_command
    from renaissance.loops.command import add_loops_command
    from renaissance.scenario_commands import add_scenario_commands
    from renaissance.sensitivity.command import add_sensitivity_command

    add_scenario_commands(subparsers)
    add_sensitivity_command(subparsers)
    add_calibrate_command(subparsers)
    add_simulate(subparsers)
    add_diagram_command(subparsers)
    add_loops_command(subparsers)
    return parser


CLOSED_PIPE = 141
"""Exit status when the reader of standard output went away (128 + SIGPIPE, as Unix
tools do): ``renaissance list parameters | head`` ends quietly."""


def _closed_pipe() -> int:
    """Point stdout at /dev/null so Python's flush at exit does not complain again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return CLOSED_PIPE


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``renaissance`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from renaissance.engine.errors import ModelStructureError, UnsupportedFeatureError
    from renaissance.input_errors import InputError
    from renaissance.interrupts import exit_status, terminate_as_interrupt
    from renaissance.limits import limits_of

    try:
        with terminate_as_interrupt(), limits_of(args):
            return args.handler(args)
    except BrokenPipeError:
        return _closed_pipe()
    except KeyboardInterrupt as interrupt:
        # the handlers' finally blocks have removed their temporary folders
        print(f"renaissance {args.command}: interrupted; nothing was written", file=sys.stderr)
        return exit_status(interrupt)
    except (InputError, UnsupportedFeatureError, ModelStructureError) as err:
        # bad input: a file or flag the user can fix (the message says what is allowed)
        print(f"renaissance {args.command}: error: {err}", file=sys.stderr)
        return 2
    except (ValueError, FileNotFoundError) as err:
        print(f"renaissance {args.command}: error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
