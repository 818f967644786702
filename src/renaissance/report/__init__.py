"""Figures and a self-contained HTML report of a comparison of scenarios."""

from renaissance.report.figures import district_index_figure as district_index_figure
from renaissance.report.figures import metric_bars_figure as metric_bars_figure
from renaissance.report.figures import national_figure as national_figure
from renaissance.report.figures import policy_start_year as policy_start_year
from renaissance.report.figures import save_figure as save_figure
from renaissance.report.html import render_report as render_report
from renaissance.report.html import write_report as write_report
from renaissance.report.outputs import ComparisonOutputs as ComparisonOutputs
from renaissance.report.outputs import render_standard_figures as render_standard_figures
from renaissance.report.outputs import write_comparison_outputs as write_comparison_outputs

__all__ = [
    "ComparisonOutputs",
    "district_index_figure",
    "metric_bars_figure",
    "national_figure",
    "policy_start_year",
    "render_report",
    "render_standard_figures",
    "save_figure",
    "write_comparison_outputs",
    "write_report",
]
