"""Write models/districts.csv and models/regions.csv, the showcase roster.

The figures are written here once, with their sources, so that the CSV files stay
easy to read and diff; edit the tables below and rerun ``python tools/roster_showcase.py``.
"""

import csv
from pathlib import Path

from renaissance.roster import SEGMENTS

MODELS = Path(__file__).resolve().parents[1] / "models"

A_SIZE = "assumption: order of magnitude for a district of this size and sector around 1991 (no published 1991 figure in shared/data); calibration target is the national total, not this cell"
A_STRUCT = "assumption: set from the district's GVC model (seed 003 §3.3-3.5) and trajectory (seed 001 §2)"
A_SOCIAL = "assumption: index 0-1 set from district monographs cited in seeds 001/003 (long-established community = higher)"

# name, region, segment, specialisation, archetype, trajectory, archetype source,
# (then the figures of NUMERIC_COLUMNS, with the export share's source after the share):
# employment, small, medium-large, exports M€, export share, share source, export intensity,
# capital per worker M€, skill level, social capital, public goods M€, functional share,
# offshored share, confidence, offshoring propensity, lead-firm capture, urban, translocal
DISTRICTS = [
    ("Sassuolo", "Emilia-Romagna", "Home Goods", "ceramic tiles", "locally rooted GVC-led", "consolidation of medium firms",
     "assumption (leading medium firms with local machinery suppliers)", 24000, 300, 60, 2200, 0.30,
     "F26: 27% of world ceramic tile exports in 2009 (seed 003 §3.1); 1991 level assumed slightly higher", 0.65,
     0.12, 1.10, 0.65, 60, 0.30, 0.03, 0.65, 0.5, 0.10, 0, 0.000),
    ("Prato", "Tuscany", "Person Goods", "wool and fashion textiles", "low-road", "restructuring",
     "assumption (cost competition, outsourcing; seed 002 on Prato rewritten bottom-up)", 45000, 6000, 80, 2500, 0.05,
     "F27: 4% of world textile exports in 2009 (seed 003 §3.1); 1991 level assumed slightly higher", 0.50,
     0.06, 0.95, 0.70, 80, 0.12, 0.05, 0.60, 1.5, 0.20, 1, 0.010),
    ("Arezzo", "Tuscany", "Person Goods", "gold jewellery", "outward-oriented GVC-led", "consolidation of medium firms",
     "seed 003 §3.5 (lead firm delocalised manufacturing, kept design)", 12000, 1200, 20, 1600, 0.05,
     "F28: 3.5% of world jewellery sales in 2009 (seed 003 §3.1); 1991 level assumed slightly higher", 0.70,
     0.07, 1.05, 0.60, 25, 0.25, 0.08, 0.62, 1.2, 0.00, 0, 0.000),
    ("Biella", "Piedmont", "Person Goods", "luxury wool fabrics", "locally rooted GVC-led", "restructuring",
     "seed 003 §3.1 (severe crisis, exit of small firms, leading firms coordinate local suppliers)", 28000, 900, 60, 1800, 0.06,
     "assumption", 0.50,
     0.09, 1.10, 0.60, 50, 0.20, 0.04, 0.55, 0.6, 0.10, 0, 0.000),
    ("Riviera del Brenta", "Veneto", "Person Goods", "luxury footwear", "locally rooted GVC-led", "classic",
     "seed 003 §3.4 (subcontractors of luxury brands, local supply relations)", 13000, 800, 20, 900, 0.02,
     "assumption", 0.80,
     0.05, 1.00, 0.65, 20, 0.15, 0.05, 0.62, 0.4, 0.60, 0, 0.000),
    ("Livenza", "Veneto", "Home Goods", "furniture", "locally rooted GVC-led", "general development",
     "seed 003 §3.4 (largest IKEA supplier in Europe with local supplier network)", 30000, 2000, 60, 1500, 0.04,
     "assumption", 0.55,
     0.07, 1.00, 0.60, 40, 0.15, 0.04, 0.62, 0.5, 0.40, 0, 0.000),
    ("Castel Goffredo", "Lombardy", "Person Goods", "hosiery", "locally rooted GVC-led", "classic",
     "seed 003 §3.4 (GVC involvement improved production capabilities)", 9000, 280, 15, 600, 0.25,
     "assumption (world hosiery niche)", 0.60,
     0.08, 1.00, 0.65, 15, 0.18, 0.03, 0.62, 0.5, 0.30, 0, 0.000),
    ("Montebelluna", "Veneto", "Person Goods", "sports footwear and ski boots", "outward-oriented GVC-led", "consolidation of medium firms",
     "seed 003 §3.5 (offshore production, R&D and marketing kept in the district)", 9000, 400, 30, 1000, 0.25,
     "assumption (world ski-boot and technical sports footwear niche)", 0.80,
     0.07, 1.15, 0.60, 20, 0.35, 0.15, 0.68, 1.2, 0.00, 0, 0.000),
    ("Belluno", "Veneto", "Person Goods", "eyewear", "outward-oriented GVC-led", "consolidation of medium firms",
     "seed 003 §3.5 (Luxottica and vertically integrated business groups)", 15000, 700, 25, 1400, 0.20,
     "assumption (world eyewear niche)", 0.85,
     0.08, 1.10, 0.60, 20, 0.40, 0.08, 0.70, 1.0, 0.00, 0, 0.000),
    ("Vicenza", "Veneto", "Person Goods", "jewellery", "low-road", "restructuring",
     "seed 003 §3.3 (unbranded subcontractors competing on cost, De Marchi et al. 2014)", 11000, 1000, 15, 1500, 0.05,
     "assumption", 0.75,
     0.07, 0.95, 0.55, 15, 0.08, 0.05, 0.60, 1.4, 0.20, 0, 0.000),
    ("Barletta", "Apulia", "Person Goods", "footwear", "low-road", "restructuring",
     "seed 003 §3.3 (production transferred across the Adriatic)", 8000, 600, 5, 300, 0.01,
     "assumption", 0.50,
     0.04, 0.85, 0.50, 8, 0.05, 0.08, 0.55, 1.8, 0.20, 0, 0.002),
    ("Mirandola", "Emilia-Romagna", "Mechanics", "biomedical devices", "outward-oriented GVC-led", "general development",
     "seed 003 §2.2 (shift from textiles to biomedical); MNE acquisitions (seed 004)", 4000, 80, 15, 400, 0.02,
     "assumption", 0.70,
     0.10, 1.20, 0.60, 12, 0.35, 0.05, 0.70, 0.8, 0.00, 0, 0.000),
    ("Schio-Thiene", "Veneto", "Mechanics", "textile machinery", "locally rooted GVC-led", "general development",
     "seed 003 §2.2 (textiles to textile machinery)", 12000, 500, 40, 900, 0.05,
     "assumption", 0.70,
     0.10, 1.15, 0.60, 20, 0.28, 0.02, 0.66, 0.4, 0.00, 0, 0.000),
    ("Canelli", "Piedmont", "Mechanics", "wine-making machinery", "locally rooted GVC-led", "general development",
     "seed 003 §2.2 (wine region turned machinery centre)", 3000, 100, 10, 200, 0.10,
     "assumption", 0.60,
     0.09, 1.10, 0.70, 6, 0.25, 0.01, 0.66, 0.3, 0.00, 0, 0.000),
    ("Lumezzane", "Lombardy", "Mechanics", "valves, taps and metal products", "locally rooted GVC-led", "consolidation of medium firms",
     "assumption (mechanics district with medium firms, seed 001 §2)", 18000, 1500, 70, 1700, 0.06,
     "assumption", 0.60,
     0.11, 1.05, 0.60, 25, 0.18, 0.03, 0.65, 0.5, 0.10, 0, 0.000),
    ("Manzano", "Friuli Venezia Giulia", "Home Goods", "chairs", "low-road", "restructuring",
     "assumption (small subcontractors under cost competition)", 14000, 1000, 20, 900, 0.30,
     "assumption (world wooden chair niche)", 0.70,
     0.05, 0.95, 0.55, 15, 0.08, 0.05, 0.58, 1.4, 0.30, 0, 0.000),
    ("Fermo", "Marche", "Person Goods", "footwear", "locally rooted GVC-led", "classic",
     "assumption (small specialised firms, classic trajectory)", 30000, 3500, 40, 1900, 0.04,
     "assumption", 0.65,
     0.05, 0.95, 0.65, 25, 0.12, 0.05, 0.62, 1.0, 0.30, 0, 0.000),
    ("Parma", "Emilia-Romagna", "Food", "processed meat and dairy", "locally rooted GVC-led", "classic",
     "assumption (agro-food system, seed 001 §1b)", 15000, 600, 40, 700, 0.03,
     "assumption", 0.30,
     0.09, 1.00, 0.70, 30, 0.30, 0.01, 0.68, 0.1, 0.10, 1, 0.000),
    ("Nocera", "Campania", "Food", "tomato processing", "low-road", "restructuring",
     "assumption (subcontracting under cost competition, southern district)", 7000, 400, 15, 400, 0.05,
     "assumption", 0.50,
     0.05, 0.85, 0.45, 8, 0.05, 0.02, 0.52, 0.3, 0.30, 0, 0.002),
]

# Offshoring propensity is the elasticity of the indicated offshored share to labour-cost
# pressure: high for low-road and outward-oriented districts (seed 003 §3.3, §3.5), low for
# locally rooted ones whose lead firms value the local supply chain (seed 003 §3.4).
OFFSHORING_PROPENSITY = {
    "Sassuolo": 0.6, "Prato": 2.5, "Arezzo": 2.0, "Biella": 0.8, "Riviera del Brenta": 0.5,
    "Livenza": 0.7, "Castel Goffredo": 0.7, "Montebelluna": 2.0, "Belluno": 1.8,
    "Vicenza": 2.5, "Barletta": 3.0, "Mirandola": 1.2, "Schio-Thiene": 0.5, "Canelli": 0.4,
    "Lumezzane": 0.7, "Manzano": 2.5, "Fermo": 1.5, "Parma": 0.2, "Nocera": 0.5,
}


# region, macro area, innovation capacity index 1991, knowledge spending M€/year,
# public goods M€, metropolitan hub, capacity source
REGIONS = [
    ("Piedmont", "North-West", 1.15, 500, 400, "Turin"),
    ("Lombardy", "North-West", 1.30, 900, 800, "Milan"),
    ("Veneto", "North-East", 1.05, 400, 450, "Padua and Venice"),
    ("Friuli Venezia Giulia", "North-East", 1.10, 150, 150, "Trieste"),
    ("Emilia-Romagna", "North-East", 1.20, 500, 450, "Bologna"),
    ("Tuscany", "Centre", 1.05, 500, 400, "Florence"),
    ("Marche", "Centre", 0.85, 120, 150, "Ancona"),
    ("Campania", "South", 0.75, 450, 350, "Naples"),
    ("Apulia", "South", 0.70, 250, 250, "Bari"),
]
REGION_SOURCE = "assumption: ordering follows regional innovation scoreboards and university R&D of the 1990s; levels illustrative"

NUMERIC_COLUMNS = [
    "employment_1991", "small_firms_1991", "medium_large_firms_1991", "exports_1991",
    "export_market_share_1991", "export_intensity", "technical_capital_per_worker_1991",
    "skill_level_1991", "social_capital_1991", "public_goods_1991", "functional_upgrading_1991",
    "offshored_share_1991", "confidence_1991", "offshoring_propensity", "lead_firm_capture",
    "urban_cluster", "translocal_skill_inflow",
]


def district_rows():
    """Yield the showcase roster as dictionaries in column order."""
    region_number = {row[0]: index + 1 for index, row in enumerate(REGIONS)}
    for row in DISTRICTS:
        name, region, segment, specialisation, archetype, trajectory, archetype_source = row[:7]
        share_source = row[12]
        values = [*row[7:12], *row[13:]]  # the figures, in NUMERIC_COLUMNS order
        values[NUMERIC_COLUMNS.index("offshoring_propensity")] = OFFSHORING_PROPENSITY[name]
        record = {
            "district": name,
            "region": region,
            "region_number": region_number[region],
            "segment_number": SEGMENTS.index(segment) + 1,
        }
        record.update(zip(NUMERIC_COLUMNS, values, strict=True))
        record.update({
            "segment": segment,
            "specialisation": specialisation,
            "archetype": archetype,
            "trajectory": trajectory,
            "source_size": A_SIZE,
            "source_export_market_share": share_source,
            "source_structure": A_STRUCT,
            "source_social_capital": A_SOCIAL,
            "source_archetype": archetype_source,
            "source_trajectory": "assumption: illustrative assignment to Bellandi et al. (2010) trajectories (seed 001 §2)",
        })
        yield record


def main():
    rows = list(district_rows())
    with open(MODELS / "districts.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with open(MODELS / "regions.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["region", "macro_area", "innovation_capacity_1991",
                         "knowledge_spending_1991", "public_goods_1991", "metropolitan_hub", "source"])
        for region in REGIONS:
            writer.writerow([*region, REGION_SOURCE])


if __name__ == "__main__":
    main()
