"""The interim main job: compare policy mixes of equal budget on the showcase roster.

Until the scenario CLI exists (issue 4) this module runs four hard-wired policy mixes of
equal total budget with the fast engine and writes a NetCDF file and figures.
``python -m renaissance.showcase OUTPUT_DIRECTORY``.
"""

import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import xarray as xr

from renaissance.engine import load_model
from renaissance.paths import MODEL_FILE

BUDGET = 300.0
"""Total new policy budget of every mix, M€/year from 2026."""

SYSTEM_MIX = [
    "Vocational Training",
    "University Transfer",
    "Network Contracts",
    "Innovation Funds",
    "Internationalisation",
    "Identity and Heritage",
]

MIXES = {
    "baseline (no new policy)": {},
    "system-based, place-based, multi-scale": {
        "Policy Budget": {
            f"{instrument},{scale}": BUDGET / 18
            for instrument in SYSTEM_MIX
            for scale in ("Local", "Regional", "National")
        }
    },
    "individual-firm subsidies": {
        "Policy Budget": {"Individual Firm Subsidies,National": BUDGET},
        "Policy Allocation Rule": {"Individual Firm Subsidies,National": 3},
    },
    "place-blind high-tech cities": {
        "Policy Budget": {"City High Tech Support,National": BUDGET},
        "Policy Allocation Rule": {"City High Tech Support,National": 2},
    },
}

PANELS = [
    ("National Manufacturing Employment", 1e-6, "million persons"),
    ("Total District Manufacturing Employment", 1e-3, "thousand persons"),
    ("National Manufacturing Exports", 1e-3, "bn € / year"),
    ("Composite Capital Index", 1.0, "index (mean over districts)"),
]


def run_mixes():
    """Run every mix; return a Dataset with a ``scenario`` dim."""
    model = load_model(MODEL_FILE)
    runs = []
    for name, params in MIXES.items():
        result = model.run(params={**params, "Policy Start Year": 2026})
        runs.append(result.expand_dims(scenario=[name]))
    return xr.concat(runs, dim="scenario")


def plot(results, path):
    """Four panels, one line per mix, 1991-2050."""
    figure, axes = plt.subplots(2, 2, figsize=(12, 8), sharex=True)
    for axis, (name, scale, unit) in zip(axes.flat, PANELS, strict=True):
        values = results[name]
        if "District" in values.dims:
            values = values.mean("District")
        for scenario in results.scenario.values:
            axis.plot(values.time, values.sel(scenario=scenario) * scale, label=scenario)
        axis.axvline(2026, color="grey", linestyle=":", linewidth=1)
        axis.set_title(name)
        axis.set_ylabel(unit)
        axis.grid(alpha=0.3)
    axes[1, 0].set_xlabel("year")
    axes[1, 1].set_xlabel("year")
    axes[0, 0].legend(fontsize=8)
    figure.suptitle(
        f"Policy mixes of equal budget ({BUDGET:.0f} M€/year from 2026), showcase roster"
    )
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def main(argv=None) -> int:
    """Write ``results.nc`` and ``comparison.png`` into the directory given (atomically)."""
    arguments = sys.argv[1:] if argv is None else argv
    output = Path(arguments[0] if arguments else "output")
    output.mkdir(parents=True, exist_ok=True)
    results = run_mixes()
    with tempfile.TemporaryDirectory(dir=output) as scratch:
        scratch = Path(scratch)
        results.drop_vars(
            [v for v in results.data_vars if results[v].dtype.kind not in "fiub"]
        ).to_netcdf(scratch / "results.nc", engine="netcdf4")
        plot(results, scratch / "comparison.png")
        for name in ("results.nc", "comparison.png"):
            (scratch / name).replace(output / name)
    table = results["National Manufacturing Employment"].sel(time=[2025, 2035, 2050]) / 1e6
    print("National manufacturing employment, million persons")
    print(table.to_pandas().round(3).to_string())
    print(f"wrote {output / 'results.nc'} and {output / 'comparison.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
