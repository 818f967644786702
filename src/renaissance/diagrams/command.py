"""``renaissance diagram``: draw a model's stock-and-flow and causal-loop diagrams."""

from __future__ import annotations

import sys
from pathlib import Path

from renaissance.diagrams.drawing import KINDS


def _diagram(args) -> int:
    import warnings

    from renaissance.diagrams.drawing import check_sector, draw_diagrams
    from renaissance.diagrams.structure import read_structure
    from renaissance.engine.errors import ModelStructureError, UnsupportedFeatureError

    model = args.model
    if model is None:
        from renaissance.paths import MODEL_FILE

        model = MODEL_FILE
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # PySD's parser chatter
            check_sector(read_structure(model), args.sector)  # before anything is written
            written = draw_diagrams(model, args.output, kind=args.kind, sector=args.sector)
    except (ValueError, FileNotFoundError, UnsupportedFeatureError, ModelStructureError) as err:
        print(f"renaissance diagram: error: {err}", file=sys.stderr)
        return 2
    except (RuntimeError, OSError) as err:  # Graphviz failed, or the folder is not writable
        print(f"renaissance diagram: error: failed while drawing: {err}", file=sys.stderr)
        return 1
    for path in written:
        if path.suffix == ".svg":
            print(path)
    return 0


def add_diagram_command(subparsers) -> None:
    """Register ``renaissance diagram``."""
    parser = subparsers.add_parser(
        "diagram",
        help="draw stock-and-flow and causal-loop diagrams of a model",
        description=(
            "Draw the stock-and-flow view of each sector (the .mdl's groups) and the "
            "causal-loop diagram of the model's feedback loops, with link polarities "
            "from the equations, as SVG and PNG (with the Graphviz source)."
        ),
    )
    parser.add_argument("model", nargs="?", type=Path, metavar="MODEL.mdl",
                        help="a Vensim model (default: models/renaissance.mdl)")  # fmt: skip
    parser.add_argument("--sector", help="only this sector (group) of the model")
    parser.add_argument("--kind", choices=KINDS, help="only this kind of diagram (both by default)")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="DIR")
    parser.set_defaults(handler=_diagram)
