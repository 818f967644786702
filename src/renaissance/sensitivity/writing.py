"""Writing a study to a folder, all or nothing.

Everything is written into a temporary folder beside the target and renamed into place
at the end, so a failed or interrupted study leaves no half-written output. An existing
target is refused unless ``overwrite`` is set.

Layout of the folder::

    outputs.nc            samples (member, parameter), outputs and status of scenario A
    outputs_compared.nc   the same for scenario B (with --compare; outputs_compared_2.nc …
                          for a third, fourth … scenario)
    indices.nc            indices of the outputs at a year (output, parameter)
    indices_over_time.nc  indices per year of trajectory outputs (output, parameter, time)
    bands.nc              percentiles of every trajectory (percentile, time)
    comparison.nc         A - B per run and per compared output; shares and rules in attrs
    problem.csv           the parameters varied: units, default, range, distribution
    figures/*.png         index bars, indices over time, fan charts, differences
    summary.html          a self-contained summary (figures embedded)
"""

from __future__ import annotations

from pathlib import Path

import xarray as xr

from renaissance._version import __version__
from renaissance.outputs import netcdf_safe, output_directory


def provenance(result) -> dict:
    """Attributes recording how a study was made."""
    samples = result.samples
    attrs = {
        "renaissance_version": __version__,
        "scenario": result.setup.label,
        "scenario_source": result.setup.scenario or result.setup.model_file or "",
        "model_sha256": result.setup.model_sha256 or "",
        "method": samples.method,
        "samples": samples.samples,
        "runs": samples.runs,
        "parameters": samples.problem.size,
        "seed": samples.seed,
        "scheduler": result.scheduler,
        "seconds": round(result.seconds, 3),
        "failed_runs": int(result.outputs["status"].sum()),
    }
    if result.comparison_setup is not None:
        attrs["compared_with"] = ", ".join(
            each.label for each in (result.other_setups or (result.comparison_setup,))
        )
    attrs.update({f"option_{k}": int(v) for k, v in samples.options.items()})
    return attrs


def _outputs_file(outputs: xr.Dataset, samples, attrs: dict) -> xr.Dataset:
    dataset = outputs.copy()
    dataset["samples"] = xr.DataArray(
        samples.values,
        dims=("member", "parameter"),
        coords={"parameter": list(samples.problem.names)},
    )
    dataset["samples"].attrs["description"] = "sampled parameter values, parameters' units"
    dataset.attrs = {**outputs.attrs, **attrs}
    return dataset


def _figures(result, folder: Path) -> dict[str, Path]:
    """Draw every figure into ``folder``; returns caption -> file."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from renaissance.sensitivity import plots

    drawn: dict[str, Path] = {}

    def save(figure, name: str, caption: str) -> None:
        path = folder / f"{name}.png"
        figure.savefig(path, dpi=110)
        plt.close(figure)
        drawn[caption] = path

    if result.indices is not None:
        for i, output in enumerate(result.indices["output"].values):
            save(
                plots.plot_indices(result.indices, str(output)),
                f"indices_{i}",
                f"Indices of {output}",
            )
    if result.indices_over_time is not None:
        index = (
            "mu_star"
            if "mu_star" in result.indices_over_time
            else ("ST" if "ST" in result.indices_over_time else "S1")
        )
        for i, output in enumerate(result.indices_over_time["output"].values):
            save(
                plots.plot_indices_over_time(result.indices_over_time, str(output), index),
                f"indices_over_time_{i}",
                f"{index} per year of {output}",
            )
    for i, name in enumerate(result.bands.data_vars):
        save(plots.plot_fan_chart(result.bands[name]), f"fan_{i}", f"Uncertainty of {name}")
    for i, comparison in enumerate(result.comparisons):
        save(
            plots.plot_difference(comparison),
            f"difference_{i}",
            f"{comparison.first} minus {comparison.second}: {comparison.output}",
        )
    return drawn


def write_study(result, directory, *, overwrite: bool = False) -> Path:
    """Write a :class:`~renaissance.sensitivity.study.StudyResult` to ``directory``.

    Returns
    -------
    pathlib.Path
        The folder written.

    Raises
    ------
    renaissance.outputs.OutputError
        ``directory`` exists and is not empty while ``overwrite`` is False, or its
        parent cannot be written.
    """
    from renaissance.sensitivity.described import described
    from renaissance.sensitivity.summary import summary_html

    target = Path(directory).resolve()
    with output_directory(target, overwrite) as staging:
        attrs = provenance(result)
        netcdf_safe(described(_outputs_file(result.outputs, result.samples, attrs))).to_netcdf(
            staging / "outputs.nc"
        )
        if result.comparison_outputs is not None:
            compared = {**attrs, "scenario": result.comparison_setup.label}
            netcdf_safe(
                described(_outputs_file(result.comparison_outputs, result.samples, compared))
            ).to_netcdf(staging / "outputs_compared.nc")
        for position, (other, outputs) in enumerate(
            zip(result.other_setups[1:], result.other_outputs[1:], strict=True), start=2
        ):
            compared = {**attrs, "scenario": other.label}
            netcdf_safe(described(_outputs_file(outputs, result.samples, compared))).to_netcdf(
                staging / f"outputs_compared_{position}.nc"
            )
        for name in ("indices", "indices_over_time"):
            dataset = getattr(result, name)
            if dataset is not None:
                dataset = dataset.copy()
                dataset.attrs.update(attrs)
                netcdf_safe(described(dataset)).to_netcdf(staging / f"{name}.nc")
        bands = result.bands.copy()
        bands.attrs.update(attrs)
        netcdf_safe(described(bands)).to_netcdf(staging / "bands.nc")
        if result.comparisons:
            several = len({c.second for c in result.comparisons}) > 1

            def key(c):  # one variable per output, and per compared scenario if several
                return f"{c.output} vs {c.second}" if several else c.output

            differences = xr.Dataset({key(c): c.difference for c in result.comparisons})
            differences.attrs.update(attrs)
            for c in result.comparisons:
                for name, value in c.to_dataset().attrs.items():
                    differences[key(c)].attrs[name] = value
            netcdf_safe(described(differences)).to_netcdf(staging / "comparison.nc")
        result.samples.problem.to_frame().to_csv(staging / "problem.csv", index=False)
        figures = staging / "figures"
        figures.mkdir()
        drawn = _figures(result, figures)
        (staging / "summary.html").write_text(summary_html(result, attrs, drawn), encoding="utf-8")
    return target


def open_study(directory) -> dict[str, xr.Dataset]:
    """Open the NetCDF files of a written study, by file stem (loaded into memory)."""
    folder = Path(directory)
    found = {}
    for path in sorted(folder.glob("*.nc")):
        with xr.open_dataset(path) as dataset:
            found[path.stem] = dataset.load()
    if not found:
        raise FileNotFoundError(f"{folder} holds no study (no .nc files)")
    return found
