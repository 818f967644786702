"""``renaissance loops``: which feedback loop dominates each district's path, and when."""

from __future__ import annotations

import sys
from pathlib import Path


def _loops(args) -> int:
    from renaissance.scenarios import ScenarioError, load_scenario

    try:
        scenario = load_scenario(args.scenario)
    except ScenarioError as error:
        print(f"renaissance loops: error: {error}", file=sys.stderr)
        return 2
    from renaissance.engine.errors import ModelStructureError, UnsupportedFeatureError
    from renaissance.loops.dominance import save_times, scenario_loop_dominance
    from renaissance.loops.figure import dominance_figure

    try:
        dominance = scenario_loop_dominance(scenario)
    except (UnsupportedFeatureError, ModelStructureError, RuntimeError) as error:
        print(f"renaissance loops: error: failed while running: {error}", file=sys.stderr)
        return 1
    district_sets = [d for dims, d in dominance.sets.items() if dims]
    places = list(args.district or [])
    known = {str(p) for d in district_sets for p in d[d["relative_score"].dims[2]].values}
    unknown = [p for p in places if p not in known and p != "nation"]
    if unknown:
        import difflib

        close = difflib.get_close_matches(unknown[0], sorted(known), n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        print(f"renaissance loops: error: --district {unknown[0]!r} is not a district of "
              f"scenario {scenario.name!r}{hint}", file=sys.stderr)  # fmt: skip
        return 2
    if not places:
        places = [str(p) for p in district_sets[0][district_sets[0]["relative_score"].dims[2]]
                  .values[:2]] if district_sets else ["nation"]  # fmt: skip
    folder = args.output
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        print(f"renaissance loops: error: cannot write {str(folder)!r}: {error}", file=sys.stderr)
        return 2
    first = next(iter(dominance.sets.values()))
    times = save_times(first, scenario.horizon.start, scenario.horizon.saveper)
    table = dominance.table(times)
    table.to_csv(folder / "loop_scores.csv", index=False)
    dominant = table[table["dominant"]][["time", "scale", "place", "loop", "polarity",
                                          "relative_score"]]  # fmt: skip
    dominant.to_csv(folder / "dominant_loops.csv", index=False)
    paths = [folder / "loop_dominance.png", folder / "loop_dominance.svg"]
    dominance_figure(dominance, places, paths)
    if dominance.skipped:
        print(
            f"loops without a cell-wise score (they cross scales): {', '.join(dominance.skipped)}"
        )
    for path in (folder / "loop_scores.csv", folder / "dominant_loops.csv", *paths):
        print(path)
    return 0


def add_loops_command(subparsers) -> None:
    """Register ``renaissance loops``."""
    parser = subparsers.add_parser(
        "loops",
        help="loop dominance (Loops that Matter) along a scenario's run",
        description=(
            "Compute the loop score of every named feedback loop at every time step of a "
            "scenario's run (Schoenberg, Davidsen & Eberlein 2020) and write a table and a "
            "figure of which loop dominates each district when."
        ),
    )
    parser.add_argument("scenario", metavar="SCENARIO", help="a library name or a YAML file")
    parser.add_argument(
        "--district",
        nargs="+",
        metavar="NAME",
        help="districts in the figure (default: the first two); 'nation' too",
    )
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="DIR")
    parser.set_defaults(handler=_loops)
