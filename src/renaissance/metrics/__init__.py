"""Headline metrics of model results: changes, resilience, costs, trajectory classes.

Every function takes the results ``xarray.Dataset`` of one run or of a comparison (dims
``scenario``, ``member`` are kept) and returns DataArrays with ``attrs["units"]``.
Definitions are in the docstrings and in ``docs/results.md``.
"""

from renaissance.metrics.changes import DEFAULT_WINDOWS as DEFAULT_WINDOWS
from renaissance.metrics.changes import change as change
from renaissance.metrics.costs import cost_per_capital_point as cost_per_capital_point
from renaissance.metrics.costs import cost_per_job as cost_per_job
from renaissance.metrics.costs import cumulative_spending as cumulative_spending
from renaissance.metrics.costs import difference_from_reference as difference_from_reference
from renaissance.metrics.quantities import QUANTITIES as QUANTITIES
from renaissance.metrics.quantities import SCALES as SCALES
from renaissance.metrics.quantities import quantity_path as quantity_path
from renaissance.metrics.quantities import value_at as value_at
from renaissance.metrics.registry import compute_metric as compute_metric
from renaissance.metrics.registry import describe_metric as describe_metric
from renaissance.metrics.registry import metric_names as metric_names
from renaissance.metrics.registry import metric_needs_reference as metric_needs_reference
from renaissance.metrics.resilience import resilience as resilience
from renaissance.metrics.resilience import (
    resilience_after_own_shock as resilience_after_own_shock,
)
from renaissance.metrics.resilience import shock_start_year as shock_start_year
from renaissance.metrics.table import default_reference as default_reference
from renaissance.metrics.table import format_table as format_table
from renaissance.metrics.table import headline_table as headline_table
from renaissance.metrics.table import table_to_csv as table_to_csv
from renaissance.metrics.territorial import territorial_table as territorial_table
from renaissance.metrics.trajectories import BELLANDI_TRAJECTORIES as BELLANDI_TRAJECTORIES
from renaissance.metrics.trajectories import GVC_MODELS as GVC_MODELS
from renaissance.metrics.trajectories import GVCThresholds as GVCThresholds
from renaissance.metrics.trajectories import TrajectoryThresholds as TrajectoryThresholds
from renaissance.metrics.trajectories import bellandi_trajectory as bellandi_trajectory
from renaissance.metrics.trajectories import gvc_model as gvc_model

__all__ = [
    "BELLANDI_TRAJECTORIES",
    "DEFAULT_WINDOWS",
    "GVC_MODELS",
    "QUANTITIES",
    "SCALES",
    "GVCThresholds",
    "TrajectoryThresholds",
    "bellandi_trajectory",
    "change",
    "compute_metric",
    "cost_per_capital_point",
    "cost_per_job",
    "cumulative_spending",
    "default_reference",
    "describe_metric",
    "difference_from_reference",
    "format_table",
    "gvc_model",
    "headline_table",
    "metric_names",
    "metric_needs_reference",
    "quantity_path",
    "resilience",
    "resilience_after_own_shock",
    "shock_start_year",
    "table_to_csv",
    "territorial_table",
    "value_at",
]
