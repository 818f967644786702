"""renaissance: a multi-scale system-dynamics model of industrial renaissance.

The public API is re-exported here explicitly; see ``__all__``.
"""

from renaissance._version import __version__ as __version__
from renaissance.engine import Model as Model
from renaissance.engine import load_model as load_model
from renaissance.parameters import parameter_table as parameter_table
from renaissance.paths import MODEL_DIRECTORY as MODEL_DIRECTORY
from renaissance.paths import MODEL_FILE as MODEL_FILE
from renaissance.roster import model_for_roster as model_for_roster
from renaissance.roster import national_roster as national_roster
from renaissance.roster import read_roster as read_roster
from renaissance.units import check_units as check_units

__all__ = [
    "MODEL_DIRECTORY",
    "MODEL_FILE",
    "Model",
    "__version__",
    "check_units",
    "load_model",
    "model_for_roster",
    "national_roster",
    "parameter_table",
    "read_roster",
]
