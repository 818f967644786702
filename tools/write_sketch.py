"""Rewrite the sketch section of a Vensim model from its equations.

    python tools/write_sketch.py models/renaissance.mdl [--no-polarity]

One view per sector (the file's groups), laid out by Graphviz as ``renaissance
diagram`` draws it; the equations are kept byte for byte. See docs/diagrams.md.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path, metavar="MODEL.mdl")
    parser.add_argument("--no-polarity", action="store_true",
                        help="do not mark arrows + or − (skips the baseline run)")  # fmt: skip
    args = parser.parse_args(argv)
    from renaissance.diagrams.sketch import write_sketch

    if not args.model.is_file() or args.model.suffix.lower() != ".mdl":
        print(f"write_sketch: error: {str(args.model)!r} is not a .mdl file", file=sys.stderr)
        return 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        write_sketch(args.model, with_polarity=not args.no_polarity)
    print(args.model)
    return 0


if __name__ == "__main__":
    sys.exit(main())
