"""District rosters: the showcase roster shipped beside the model and the national roster.

The model reads its districts from ``districts.csv`` and ``regions.csv`` beside the
``.mdl`` file. A roster is a folder holding those two files; :func:`model_for_roster`
places a copy of the model next to a roster so that PySD or the fast engine can read it.

The national roster (:func:`national_roster`) is synthetic: about 140 districts, the
ISTAT 2011 count (F04), drawn by a seeded rule from regional and specialisation shares
and from the showcase districts of the same GVC model. It is for scale runs, not a
statistical description of real districts.
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from renaissance.input_errors import InputError
from renaissance.paths import MODEL_DIRECTORY, MODEL_FILE
from renaissance.roster_schema import SEGMENTS as SCHEMA_SEGMENTS
from renaissance.roster_schema import RosterError, check_roster

ROSTERS = {"showcase": MODEL_DIRECTORY, "national": MODEL_DIRECTORY / "national"}
"""Folders of the rosters shipped with the model."""

NATIONAL_SEED = 2011
NATIONAL_DISTRICT_COUNT = 141  # ISTAT 2011 method (F04)
NATIONAL_DISTRICT_EMPLOYMENT_1991 = 1.9e6
"""Assumption: manufacturing employees in all districts in 1991, about the 1.93 million of
2001 (F03); the model grows them a little in the 1990s and shrinks them after."""
NATIONAL_DISTRICT_EXPORT_SHARE = 0.38
"""Assumption: share of national manufacturing exports from districts in 1991. F06 gives
about 0.30 (0.24-0.35) for 2015; the model's districts lose export share after 1991 as
person and home goods lose ground, and 0.38 in 1991 puts 2015 inside F06's range."""
NATIONAL_EXPORTS_1991 = 130000.0
"""Initial National Manufacturing Exports of the model, M€/year."""

SEGMENTS = list(SCHEMA_SEGMENTS)
"""The Segment range of the model, in its order (segment_number is the 1-based position)."""
SEGMENT_COUNTS = {"Person Goods": 55, "Home Goods": 27, "Mechanics": 42, "Food": 17}
"""Assumption: districts by segment, grouping the ISTAT 2011 specialisations as recalled
(textiles-clothing, leather-footwear and jewellery as person goods; furniture and house
goods; mechanics with paper, rubber and plastics; food). Not checked against the release."""

REGION_WEIGHTS = {
    "Piedmont": 8,
    "Lombardy": 17,
    "Veneto": 18,
    "Friuli Venezia Giulia": 4,
    "Trentino-Alto Adige": 4,
    "Emilia-Romagna": 13,
    "Tuscany": 15,
    "Marche": 15,
    "Umbria": 4,
    "Lazio": 3,
    "Abruzzo": 6,
    "Molise": 1,
    "Campania": 6,
    "Apulia": 6,
    "Basilicata": 1,
    "Sicily": 1,
    "Sardinia": 2,
}
"""Assumption: relative weights of regions in the count of districts, following the
well-known concentration in the North-East, the Centre and Lombardy; illustrative."""

REGION_DEFAULTS = {
    # macro area, innovation capacity index 1991, knowledge spending M€/year, public goods M€, hub
    "Trentino-Alto Adige": ("North-East", 1.10, 150, 200, "Trento"),
    "Umbria": ("Centre", 0.90, 120, 120, "Perugia"),
    "Lazio": ("Centre", 1.15, 900, 600, "Rome"),
    "Abruzzo": ("South", 0.85, 150, 150, "Pescara"),
    "Molise": ("South", 0.65, 40, 50, "Campobasso"),
    "Basilicata": ("South", 0.65, 60, 80, "Potenza"),
    "Sicily": ("South", 0.70, 450, 350, "Palermo"),
    "Sardinia": ("South", 0.70, 200, 180, "Cagliari"),
}
"""Assumption: values for regions without a showcase district, same scale as regions.csv."""

ARCHETYPE_BY_SEGMENT = {
    "Person Goods": {
        "low-road": 0.40,
        "locally rooted GVC-led": 0.40,
        "outward-oriented GVC-led": 0.20,
    },
    "Home Goods": {
        "low-road": 0.35,
        "locally rooted GVC-led": 0.50,
        "outward-oriented GVC-led": 0.15,
    },
    "Mechanics": {
        "low-road": 0.10,
        "locally rooted GVC-led": 0.60,
        "outward-oriented GVC-led": 0.30,
    },
    "Food": {"low-road": 0.30, "locally rooted GVC-led": 0.60, "outward-oriented GVC-led": 0.10},
}
"""Assumption: GVC model of a district given its segment (seed 003 §3: low-road districts
concentrate in cost-competed consumer goods, mechanics is mostly locally rooted)."""

TRAJECTORY_BY_ARCHETYPE = {
    "low-road": {"restructuring": 0.6, "classic": 0.4},
    "locally rooted GVC-led": {
        "classic": 0.35,
        "general development": 0.35,
        "consolidation of medium firms": 0.30,
    },
    "outward-oriented GVC-led": {"consolidation of medium firms": 0.6, "general development": 0.4},
}
"""Assumption: Bellandi's trajectory given the GVC model (seed 001 §2, seed 003 §3)."""

DRAWN_COLUMNS = [
    "export_market_share_1991",
    "export_intensity",
    "technical_capital_per_worker_1991",
    "skill_level_1991",
    "social_capital_1991",
    "functional_upgrading_1991",
    "offshored_share_1991",
    "confidence_1991",
    "offshoring_propensity",
    "lead_firm_capture",
]
"""Columns drawn around the showcase districts of the same GVC model."""

SOURCE = (
    "synthetic: national roster drawn by renaissance.roster.national_roster "
    f"(seed {NATIONAL_SEED}) from segment and regional shares and the showcase districts "
    "of the same GVC model; illustrative, not data"
)


def read_roster(roster: str | Path = "showcase") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a roster's ``districts.csv`` and ``regions.csv``, checked against the schema.

    Parameters
    ----------
    roster : {"showcase", "national"} or path
        A roster name or a folder holding the two files.

    Raises
    ------
    renaissance.roster_schema.RosterError
        The folder lacks a file, or the files break the schema (every problem listed).
    """
    folder = _roster_folder(roster)
    _checked(folder)
    return pd.read_csv(folder / "districts.csv"), pd.read_csv(folder / "regions.csv")


def _checked(folder: Path, shown: Path | None = None) -> None:
    """:func:`~renaissance.roster_schema.check_roster`, once per content of the files."""
    stamps = []
    for name in ("districts.csv", "regions.csv"):
        status = (folder / name).stat()
        stamps.append((status.st_mtime_ns, status.st_size, status.st_ino))
    _check_once(folder.resolve(), str(shown or folder), tuple(stamps))


@functools.lru_cache(maxsize=16)
def _check_once(folder: Path, shown: str, stamps: tuple) -> None:
    check_roster(folder, Path(shown))


def _roster_folder(roster: str | Path) -> Path:
    if isinstance(roster, str) and roster in ROSTERS:
        return ROSTERS[roster]
    folder = Path(roster)
    for name in ("districts.csv", "regions.csv"):
        if not (folder / name).is_file():
            raise RosterError(
                [
                    InputError(
                        folder / name,
                        "",
                        f"roster {str(roster)!r}: the file does not exist; a roster is one of "
                        f"{sorted(ROSTERS)} or a folder with districts.csv and regions.csv",
                    )
                ]
            )
    return folder


def model_for_roster(roster: str | Path, directory: Path, model_file: Path = MODEL_FILE) -> Path:
    """Copy the model and a roster's two CSV files into ``directory``; return the model path.

    The copies are checked against the roster schema (so what the model reads is what
    was checked), with messages naming the roster's own files.
    """
    folder = _roster_folder(roster)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(model_file, directory / MODEL_FILE.name)
    for name in ("districts.csv", "regions.csv"):
        shutil.copyfile(folder / name, directory / name)
    _checked(directory, folder)
    return directory / MODEL_FILE.name


def national_roster(
    seed: int = NATIONAL_SEED, count: int = NATIONAL_DISTRICT_COUNT
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Draw the synthetic national roster.

    Parameters
    ----------
    seed : int
        Seed of the ``numpy.random.Generator``; the same seed gives the same roster.
    count : int
        Number of districts; segment counts are scaled to it.

    Returns
    -------
    districts, regions : pandas.DataFrame
        Tables with the columns of the showcase ``districts.csv`` and ``regions.csv``.
    """
    rng = np.random.default_rng(seed)
    showcase, showcase_regions = read_roster("showcase")
    regions = _national_regions(showcase_regions)
    region_names = regions["region"].tolist()
    weights = np.array([REGION_WEIGHTS[name] for name in region_names], dtype=float)

    segments = _scaled_counts(SEGMENT_COUNTS, count)
    rows = []
    for segment, number in segments.items():
        for _ in range(number):
            archetype = _draw(rng, ARCHETYPE_BY_SEGMENT[segment])
            rows.append(
                {
                    "segment": segment,
                    "archetype": archetype,
                    "trajectory": _draw(rng, TRAJECTORY_BY_ARCHETYPE[archetype]),
                    "region": region_names[
                        rng.choice(len(region_names), p=weights / weights.sum())
                    ],
                }
            )
    districts = pd.DataFrame(rows)
    districts = _draw_sizes(rng, districts, showcase)
    for column in DRAWN_COLUMNS:
        districts[column] = [
            _draw_like(rng, showcase, archetype, column) for archetype in districts["archetype"]
        ]
    districts["export_intensity"] = _consistent_export_intensity(districts, showcase)
    districts["urban_cluster"] = (rng.random(len(districts)) < 0.1).astype(int)
    districts["translocal_skill_inflow"] = 0.0
    districts = _name_and_order(districts, region_names)
    return districts[list(showcase.columns)], regions


def _scaled_counts(counts: dict[str, int], total: int) -> dict[str, int]:
    raw = {key: value * total / sum(counts.values()) for key, value in counts.items()}
    scaled = {key: int(np.floor(value)) for key, value in raw.items()}
    for key in sorted(raw, key=lambda k: raw[k] - scaled[k], reverse=True)[
        : total - sum(scaled.values())
    ]:
        scaled[key] += 1
    return scaled


def _draw(rng: np.random.Generator, probabilities: dict[str, float]) -> str:
    names = list(probabilities)
    values = np.array([probabilities[name] for name in names])
    return names[rng.choice(len(names), p=values / values.sum())]


def _draw_sizes(rng, districts, showcase):
    """Employment lognormal around the showcase median, scaled to the national total."""
    employment = rng.lognormal(
        mean=np.log(showcase["employment_1991"].median()), sigma=0.7, size=len(districts)
    )
    employment *= NATIONAL_DISTRICT_EMPLOYMENT_1991 / employment.sum()
    districts["employment_1991"] = np.round(employment, 0)
    showcase = showcase.assign(
        firms_1991=showcase["small_firms_1991"] + showcase["medium_large_firms_1991"]
    )
    per_firm = _median_ratio_by_archetype(showcase, "employment_1991", "firms_1991")
    medium_share = _median_ratio_by_archetype(showcase, "medium_large_firms_1991", "firms_1991")
    firms = districts["employment_1991"] / districts["archetype"].map(per_firm)
    medium = np.maximum(1, np.round(firms * districts["archetype"].map(medium_share)))
    districts["small_firms_1991"] = np.maximum(1, np.round(firms - medium))
    districts["medium_large_firms_1991"] = medium
    exports_per_worker = _median_ratio_by_archetype(showcase, "exports_1991", "employment_1991")
    exports = districts["employment_1991"] * districts["archetype"].map(exports_per_worker)
    districts["exports_1991"] = np.round(
        exports * NATIONAL_DISTRICT_EXPORT_SHARE * NATIONAL_EXPORTS_1991 / exports.sum(), 1
    )
    public_goods_per_worker = float(
        (showcase["public_goods_1991"] / showcase["employment_1991"]).median()
    )
    districts["public_goods_1991"] = np.round(
        districts["employment_1991"]
        * public_goods_per_worker
        * rng.uniform(0.6, 1.4, len(districts)),
        1,
    )
    return districts


def _consistent_export_intensity(districts, showcase):
    """Export intensity that gives each district the sales per worker of its GVC model.

    The national roster's exports are scaled to a share of national exports
    (``NATIONAL_DISTRICT_EXPORT_SHARE``), about a third of the showcase's exports per
    worker. Keeping the showcase's export intensity would then give a third of its sales
    and value added per worker against the same capital per worker, so that 1991
    reinvestment would have to exceed value added. Sales per worker (exports over
    intensity, per worker) are therefore the showcase median of the same GVC model, and
    the intensity follows from the exports (clipped to 0.1-0.9): national districts sell
    more at home than the export champions of the showcase.
    """
    sales = showcase["exports_1991"] / showcase["export_intensity"]
    sales_per_worker = (sales / showcase["employment_1991"]).groupby(showcase["archetype"]).median()
    wanted_sales = districts["employment_1991"] * districts["archetype"].map(sales_per_worker)
    return np.round(np.clip(districts["exports_1991"] / wanted_sales, 0.1, 0.9), 4)


def _median_ratio_by_archetype(showcase, numerator, denominator):
    """Median over the showcase districts of each GVC model of ``numerator / denominator``."""
    ratio = showcase[numerator] / showcase[denominator]
    return {
        archetype: float(values.median())
        for archetype, values in ratio.groupby(showcase["archetype"])
    }


def _draw_like(rng, showcase, archetype, column):
    """A value drawn uniformly between the lowest and highest showcase value of the archetype."""
    values = showcase.loc[showcase["archetype"] == archetype, column]
    low, high = float(values.min()), float(values.max())
    return round(float(rng.uniform(low, high)), 4) if high > low else low


def _name_and_order(districts, region_names):
    districts = districts.sort_values(["region", "segment"], kind="stable").reset_index(drop=True)
    counter = districts.groupby(["region", "segment"]).cumcount() + 1
    districts["district"] = [
        f"{region} {segment} {number}"
        for region, segment, number in zip(
            districts["region"], districts["segment"], counter, strict=True
        )
    ]
    districts["region_number"] = [region_names.index(region) + 1 for region in districts["region"]]
    districts["segment_number"] = [SEGMENTS.index(segment) + 1 for segment in districts["segment"]]
    districts["specialisation"] = districts["segment"].str.lower()
    for column in (
        "source_size",
        "source_export_market_share",
        "source_structure",
        "source_social_capital",
        "source_archetype",
        "source_trajectory",
    ):
        districts[column] = SOURCE
    return districts


def _national_regions(showcase_regions: pd.DataFrame) -> pd.DataFrame:
    rows = []
    known = showcase_regions.set_index("region")
    for name in REGION_WEIGHTS:
        if name in known.index:
            row = known.loc[name]
            rows.append(
                [
                    name,
                    row["macro_area"],
                    row["innovation_capacity_1991"],
                    row["knowledge_spending_1991"],
                    row["public_goods_1991"],
                    row["metropolitan_hub"],
                    row["source"],
                ]
            )
        else:
            macro, capacity, spending, goods, hub = REGION_DEFAULTS[name]
            rows.append(
                [
                    name,
                    macro,
                    capacity,
                    spending,
                    goods,
                    hub,
                    "assumption: illustrative values on the scale of the showcase regions",
                ]
            )
    return pd.DataFrame(rows, columns=list(showcase_regions.columns))


def write_national_roster(directory: Path = ROSTERS["national"]) -> None:
    """Write the national roster's two CSV files into ``directory``."""
    districts, regions = national_roster()
    directory.mkdir(parents=True, exist_ok=True)
    districts.to_csv(directory / "districts.csv", index=False, float_format="%.6g")
    regions.to_csv(directory / "regions.csv", index=False)
