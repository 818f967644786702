"""Write a calibration's outputs: scenario file, fit table, identifiability, figure.

Files written into one folder (see :func:`write_outputs`):

- ``calibrated.yaml`` — scenario ``calibrated`` extending the calibrated scenario with the
  fitted ``parameters:``;
- ``fit.csv`` and ``fit.md`` — target, range, simulated value, inside or not; the facts
  that are not targets and why; the fitted parameters; identifiability;
- ``parameters.csv``, ``identifiability.csv``, ``screening_envelope.csv``,
  ``profiles.csv`` (when profiles were asked for),
  ``screening.csv`` (every screening member: parameters, target values, loss);
- ``fit.png`` — simulated against observed, the years after 2008 shaded as validation.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from renaissance.calibration.run import CalibrationResult


def _number(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and math.isinf(value):
        return "∞" if value > 0 else "−∞"
    magnitude = abs(value)
    if magnitude >= 1e4:
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:.2f}"
    return f"{value:.4g}"


def _markdown(table: pd.DataFrame) -> str:
    header = "| " + " | ".join(table.columns) + " |"
    rule = "|" + "|".join("---" for _ in table.columns) + "|"
    lines = [header, rule]
    for _, row in table.iterrows():
        cells = [_number(v) if isinstance(v, float) else str(v) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def calibrated_scenario_text(result: CalibrationResult, command: str) -> str:
    """YAML text of the calibrated scenario (``extends`` the calibrated one)."""
    table = result.fit_table()
    met = int(table["inside"].sum())
    lines = [
        "name: calibrated",
        "description: >",
        f"  The {result.scenario} scenario with the parameters fitted by `{command}`",
        f"  (seed {result.seed}; {met} of {len(table)} targets inside their ranges; loss "
        f"{result.best.loss:.4g}).",
        "  Targets are the stylised facts up to 2008 and Penn World Table 9.1 for Italy;",
        "  the years after 2008 are validation only (docs/validation.md). Method, mapping and",
        "  identifiability: docs/calibration.md.",
        f"extends: {result.scenario}",
        "parameters:",
    ]
    for name, value in result.fitted.items():
        lines.append(f"  {name}: {value!r}")
    return "\n".join(lines) + "\n"


def fit_markdown(result: CalibrationResult, command: str) -> str:
    """The fit report as markdown."""
    table = result.fit_table()
    shown = table[
        ["target", "description", "low", "high", "observed", "simulated", "unit", "inside"]
    ].copy()
    shown["inside"] = shown["inside"].map({True: "yes", False: "**no**"})
    parameters = result.slices[["parameter", "units", "low", "high", "fitted", "at_bound"]]
    ident = result.slices[
        [
            "parameter",
            "acceptable_low",
            "acceptable_high",
            "acceptable_share",
            "verdict",
            "binding_targets",
        ]
    ]
    unmapped = pd.DataFrame(
        [
            {
                "fact": u.id,
                "quantity": u.quantity,
                "period": u.period,
                "role": u.role,
                "reason": u.reason,
            }
            for u in result.unmapped
        ]
    )
    accepted = int(result.screening.inside.all(axis=1).sum())
    refined = ", ".join(f"{fit.loss:.4g}" for fit in result.fits)
    return (
        "\n\n".join(
            [
                f"# Calibration of `{result.scenario}`",
                f"Command: `{command}`. Seed {result.seed}; {len(result.problem.parameters)} "
                f"parameters; {len(result.screening.loss)} screening members "
                f"({accepted} meet every target); {len(result.fits)} local refinements "
                f"(losses {refined}); {result.problem.evaluations} runs in all.",
                f"## Fit: {int(table['inside'].sum())} of {len(table)} targets inside their ranges",
                _markdown(shown),
                "## Fitted parameters",
                _markdown(parameters),
                "## Identifiability (slices through the best fit)",
                "Share of each parameter's plausible range in which every target stays inside its "
                "range when that parameter alone moves; *binding targets* leave their range first.",
                _markdown(ident),
                *_profile_section(result),
                "## Screening envelope",
                "Share of the Latin-hypercube members meeting every target, by fifth of each "
                "parameter's range.",
                _markdown(result.envelope),
                "## Facts that are not calibration targets",
                _markdown(unmapped),
            ]
        )
        + "\n"
    )


def _profile_section(result: CalibrationResult) -> list[str]:
    if result.profiles is None:
        return []
    from renaissance.calibration.identifiability import profile_summary

    return [
        "## Identifiability (profiles)",
        "Each parameter held at points of its range while the others are re-fitted; the "
        "span of values at which the re-fitted set still meets every target.",
        _markdown(profile_summary(result.profiles)),
    ]


def write_outputs(
    result: CalibrationResult, folder: Path, command: str, figure: bool = True
) -> list[Path]:
    """Write every output file into ``folder`` (which must exist); return their paths."""
    folder = Path(folder)
    written = []

    def put(name: str, text: str) -> None:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)

    put("calibrated.yaml", calibrated_scenario_text(result, command))
    put("fit.csv", result.fit_table().to_csv(index=False))
    put("fit.md", fit_markdown(result, command))
    put("identifiability.csv", result.slices.to_csv(index=False))
    put("screening_envelope.csv", result.envelope.to_csv(index=False))
    if result.profiles is not None:
        put("profiles.csv", result.profiles.to_csv(index=False))
    parameters = pd.DataFrame(
        [
            {
                "name": p.name,
                "units": p.units,
                "low": p.low,
                "high": p.high,
                "default": p.default,
                "fitted": result.fitted[p.name],
            }
            for p in result.problem.parameters
        ]
    )
    put("parameters.csv", parameters.to_csv(index=False))
    screening = result.problem.samples(result.screening.unit)
    for j, target in enumerate(result.targets):
        screening[target.id] = result.screening.values[:, j]
    screening["loss"] = result.screening.loss
    screening["all_inside"] = result.screening.inside.all(axis=1)
    put("screening.csv", screening.to_csv(index=False))
    if figure:
        from renaissance.calibration.figure import plot_fit

        path = folder / "fit.png"
        plot_fit(result, path)
        written.append(path)
    return written
