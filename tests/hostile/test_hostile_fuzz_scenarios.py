"""Fuzzer over scenario documents and roster tables (issue 18).

Contract: ``renaissance validate`` exits 0, or exits 2 naming the file and writing
nothing; never another status, a traceback, a hang past a bound or memory past a bound.
A few valid-looking documents are also run (``renaissance run``): exit 0 with both
result files, or exit 2 with nothing written.
"""

from __future__ import annotations

import collections
import tempfile
from pathlib import Path

import pandas as pd
import yaml
from fuzzing import FUZZ, bounded, check_contract
from hostile_helpers import listing
from hypothesis import example, given, settings
from hypothesis import strategies as st

from renaissance.paths import MODEL_DIRECTORY, SCENARIO_DIRECTORY

COUNTS: collections.Counter = collections.Counter()
"""Outcomes of every fuzzed case in this session, by fuzzer (printed by the last test)."""

HOSTILE_TEXT = st.sampled_from(
    [
        "",
        " ",
        "../../escaped",
        "a/b",
        "x\x00y",
        ".hidden",
        "é" * 3,
        "\u202e",
        "*a",
        "&a",
        "!!python/object:os.system",
        "{",
        "[",
        "'",
        '"""',
        "null",
        "~",
        "NaN",
        "1e400",
    ]
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([10**400, -(10**400), 2**63, 2**64, 0, -1]),
    st.floats(allow_nan=True, allow_infinity=True),
)
SCALARS = st.one_of(NUMBERS, st.booleans(), st.none(), st.text(max_size=12), HOSTILE_TEXT)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
INSTRUMENTS = st.sampled_from(
    ["Vocational Training", "Network Contracts", "Innovation Funds", "Startups", "x"]
)
POLICY = st.fixed_dictionaries(
    {"instrument": INSTRUMENTS, "scale": st.sampled_from(["local", "regional", "national", "x"])},
    optional={
        "budget": st.one_of(NUMBERS, SCALARS),
        "start": st.one_of(st.integers(1980, 2060), SCALARS),
        "end": st.one_of(st.integers(1980, 2060), SCALARS),
        "ramp": NUMBERS,
        "capture_share": NUMBERS,
        "allocation": st.sampled_from(["place-based", "place-blind", "firm-level", "x"]),
        "stop_and_go": st.one_of(st.fixed_dictionaries({"cycle_years": NUMBERS}), SCALARS),
        "targets": st.one_of(st.just("all"), VALUES),
        "budjet": VALUES,
    },
)
HORIZON = st.fixed_dictionaries(
    {},
    optional={
        "start": st.one_of(st.integers(1985, 2105), NUMBERS),
        "stop": st.one_of(st.integers(1985, 2105), NUMBERS),
        "dt": st.one_of(st.sampled_from([0.25, 0.125, 1e-6, 1e-300, 0.0, -1.0]), NUMBERS),
        "saveper": st.one_of(st.sampled_from([1, 0.5, 0.3]), NUMBERS),
    },
)
DOCUMENT = st.fixed_dictionaries(
    {},
    optional={
        "name": st.one_of(st.just("fuzz"), HOSTILE_TEXT, SCALARS),
        "description": st.one_of(st.just("d"), SCALARS),
        "extends": st.one_of(
            st.sampled_from(["baseline", "system-mix", "nowhere", "s.yaml"]), SCALARS
        ),
        "horizon": st.one_of(HORIZON, VALUES),
        "seed": NUMBERS,
        "allow_out_of_range": st.one_of(st.booleans(), SCALARS),
        "parameters": st.one_of(
            st.dictionaries(
                st.sampled_from(
                    [
                        "Hiring Adjustment Time",
                        "Hiring Adjustment Time ",
                        "Subsidy Deadweight Share",
                        "World Demand Growth Rate[Food]",
                        "Nonexistent",
                        "Policy Budget",
                    ]
                ),
                NUMBERS,
                max_size=3,
            ),
            VALUES,
        ),
        "policies": st.one_of(st.lists(POLICY, max_size=3), VALUES),
        "shocks": VALUES,
        "roster": st.sampled_from(["showcase", "national", "missing-folder", "/", ""]),
        "polices": VALUES,
    },
)
MUTATIONS = st.lists(
    st.tuples(
        st.integers(0, 10_000),
        st.integers(0, 5),
        st.text(alphabet="&*[]{}:,-!|>'\"\x00\n\t #%@?0123456789.e", max_size=6),
    ),
    min_size=1,
    max_size=6,
)


def _validate(cli, folder: Path, text: str) -> str:
    path = folder / "s.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    before = listing(folder)
    with bounded():
        outcome = cli("validate", path)
    return check_contract(outcome, str(path), True, before, listing(folder))


@settings(FUZZ, max_examples=40)
@given(document=DOCUMENT)
@example(document={"name": "fuzz", "description": "d", "extends": "system-mix"})
def test_fuzzed_scenario_documents_keep_the_contract(cli, document):
    with tempfile.TemporaryDirectory() as folder:
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
        COUNTS["scenario documents", _validate(cli, Path(folder), text)] += 1


@settings(FUZZ, max_examples=40)
@given(
    source=st.sampled_from(sorted(p.name for p in SCENARIO_DIRECTORY.glob("*.yaml"))),
    edits=MUTATIONS,
)
def test_fuzzed_scenario_text_keeps_the_contract(cli, source, edits):
    text = (SCENARIO_DIRECTORY / source).read_text(encoding="utf-8")
    for position, cut, insert in edits:
        position %= len(text) + 1
        text = text[:position] + insert + text[position + cut :]
    with tempfile.TemporaryDirectory() as folder:
        COUNTS["scenario texts", _validate(cli, Path(folder), text)] += 1


DISTRICTS = pd.read_csv(MODEL_DIRECTORY / "districts.csv").astype(object)
CELL_VALUES = st.one_of(
    st.sampled_from(["", "nan", "inf", "-1", "0", "1.5", "1e400", "x", "Prato", "../x", "1_000"]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-5, 10**6),
    st.text(max_size=8),
)
ROSTER_EDITS = st.lists(
    st.one_of(
        st.tuples(
            st.just("cell"),
            st.integers(0, len(DISTRICTS) - 1),
            st.sampled_from(list(DISTRICTS.columns)),
            CELL_VALUES,
        ),
        st.tuples(st.just("drop column"), st.sampled_from(list(DISTRICTS.columns))),
        st.tuples(st.just("duplicate row"), st.integers(0, len(DISTRICTS) - 1)),
        st.tuples(st.just("truncate"), st.integers(0, 4000)),
    ),
    min_size=1,
    max_size=4,
)


@settings(FUZZ, max_examples=30)
@given(edits=ROSTER_EDITS)
@example(edits=[])
@example(edits=[("cell", 0, "employment_1991", 25000)])
def test_fuzzed_roster_tables_keep_the_contract(cli, edits):
    table = DISTRICTS.copy()
    cut = None
    for edit in edits:
        if edit[0] == "cell":
            table.loc[edit[1], edit[2]] = edit[3]
        elif edit[0] == "drop column" and edit[1] in table.columns:
            table = table.drop(columns=[edit[1]])
        elif edit[0] == "duplicate row":
            table = pd.concat([table, table.iloc[[edit[1]]]], ignore_index=True)
        elif edit[0] == "truncate":
            cut = edit[1]
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        (folder / "roster").mkdir()
        text = table.to_csv(index=False)
        (folder / "roster" / "districts.csv").write_text(text[:cut], encoding="utf-8")
        (folder / "roster" / "regions.csv").write_bytes(
            (MODEL_DIRECTORY / "regions.csv").read_bytes()
        )
        scenario = folder / "s.yaml"
        scenario.write_text("name: n\ndescription: d\nroster: roster\n", encoding="utf-8")
        before = listing(folder)
        with bounded():
            outcome = cli("validate", scenario)
        COUNTS[
            "roster tables", check_contract(outcome, "roster", True, before, listing(folder))
        ] += 1


RUNNABLE = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["fuzz", "Città", "mix 2"]),
        "description": st.just("fuzzed"),
        "horizon": st.fixed_dictionaries(
            {"stop": st.integers(1992, 2010), "dt": st.sampled_from([0.25, 0.125, 0.5])}
        ),
        "policies": st.lists(
            st.fixed_dictionaries(
                {
                    "instrument": st.sampled_from(["Vocational Training", "Network Contracts"]),
                    "scale": st.sampled_from(["local", "regional", "national"]),
                    "budget": st.one_of(st.floats(0, 5000), st.floats(-10, 6000)),
                },
                optional={"start": st.integers(1991, 2050), "capture_share": st.floats(0, 1)},
            ),
            max_size=2,
            unique_by=lambda p: (p["instrument"], p["scale"]),
        ),
    }
)


@settings(FUZZ, max_examples=2)
@given(document=RUNNABLE)
def test_fuzzed_runnable_scenarios_run_completely_or_are_refused(cli, document):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        path = folder / "s.yaml"
        path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        before = listing(folder)
        with bounded():
            outcome = cli("run", path, "-o", folder / "out", "--quiet")
        name = document["name"]
        complete = (
            sorted(p.name for p in (folder / "out").iterdir())
            == sorted([f"{name}.nc", f"{name}.csv"])
            if (folder / "out").is_dir()
            else False
        )
        after = listing(folder)
        COUNTS["runs", check_contract(outcome, str(path), complete, before, after)] += 1


def test_zz_report_fuzz_counts(capsys):
    """Print the outcomes (read in the report of issue 18); every case kept the contract."""
    with capsys.disabled():
        for (fuzzer, outcome), count in sorted(COUNTS.items()):
            print(f"\nfuzz {fuzzer}: {outcome} {count}", end="")
