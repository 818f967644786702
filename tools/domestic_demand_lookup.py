"""Write the lookup `Italian Real GDP History` of models/renaissance.mdl from PWT 9.1.

Reads Italy's `rgdpna` (real GDP at constant national prices) from the Penn World Table
extract in the shared data folder, divides every year 1991-2017 by 1991, and replaces the
lookup's points in the model (five decimals). Run from the repository root:

    python tools/domestic_demand_lookup.py [../shared/data/pwt91_selected.csv]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from renaissance.calibration.pwt import read_pwt

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "renaissance.mdl"
FIRST, LAST = 1991, 2017


def points(pwt_file: Path) -> str:
    """The lookup's points, ``(year,index),...``, from Italy's PWT ``rgdpna``."""
    table = read_pwt(pwt_file)
    series = table["rgdpna"].loc[FIRST:LAST]
    base = float(series.loc[FIRST])
    return ",".join(f"({int(year)},{value / base:.5f})" for year, value in series.items())


def main(argv: list[str]) -> int:
    pwt_file = Path(argv[0]) if argv else ROOT.parent / "shared" / "data" / "pwt91_selected.csv"
    text = MODEL.read_text(encoding="utf-8")
    pattern = re.compile(r"(Italian Real GDP History\(\n\t\[[^\]]*\],)([^\n]*)(\))")
    if not pattern.search(text):
        print(f"{MODEL}: lookup 'Italian Real GDP History' not found", file=sys.stderr)
        return 2
    new = pattern.sub(lambda m: m.group(1) + points(pwt_file) + m.group(3), text, count=1)
    MODEL.write_text(new, encoding="utf-8")
    print(f"wrote {LAST - FIRST + 1} points to {MODEL.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
