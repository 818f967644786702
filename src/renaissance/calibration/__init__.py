"""Calibration of the model against stylised facts up to 2008 and the Penn World Table.

>>> from renaissance.calibration import calibrate, write_outputs
>>> result = calibrate("history", "stylized_facts.csv", "pwt91_selected.csv", seed=2011)
>>> write_outputs(result, folder, "renaissance calibrate history ...")

Modules: :mod:`.facts` (the targets table reader), :mod:`.pwt` (Penn World Table),
:mod:`.mapping` (facts → model outputs), :mod:`.problem` (parameters, ensemble
evaluation, loss), :mod:`.search` (Latin-hypercube screening, L-BFGS-B refinement),
:mod:`.identifiability`, :mod:`.run` (one call), :mod:`.report` and :mod:`.figure`
(outputs), :mod:`.validation` (the years after 2008), :mod:`.command` (CLI).
Method and results: ``docs/calibration.md``; post-2008 test: ``docs/validation.md``.
"""

from renaissance.calibration.command import add_calibrate_command as add_calibrate_command
from renaissance.calibration.facts import Fact as Fact
from renaissance.calibration.facts import FactsError as FactsError
from renaissance.calibration.facts import read_facts as read_facts
from renaissance.calibration.mapping import Target as Target
from renaissance.calibration.mapping import Unmapped as Unmapped
from renaissance.calibration.mapping import calibration_targets as calibration_targets
from renaissance.calibration.problem import DEFAULT_PARAMETERS as DEFAULT_PARAMETERS
from renaissance.calibration.problem import CalibrationProblem as CalibrationProblem
from renaissance.calibration.pwt import read_pwt as read_pwt
from renaissance.calibration.report import write_outputs as write_outputs
from renaissance.calibration.run import CalibrationResult as CalibrationResult
from renaissance.calibration.run import calibrate as calibrate

__all__ = [
    "DEFAULT_PARAMETERS",
    "CalibrationProblem",
    "CalibrationResult",
    "Fact",
    "FactsError",
    "Target",
    "Unmapped",
    "add_calibrate_command",
    "calibrate",
    "calibration_targets",
    "read_facts",
    "read_pwt",
    "write_outputs",
]
