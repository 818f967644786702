"""renaissance: a multi-scale system-dynamics model of industrial renaissance.

The public API is re-exported here explicitly; see ``__all__``.
"""

from renaissance._version import __version__ as __version__
from renaissance.engine import Model as Model
from renaissance.engine import load_model as load_model
from renaissance.paths import MODEL_DIRECTORY as MODEL_DIRECTORY
from renaissance.paths import MODEL_FILE as MODEL_FILE

__all__ = ["MODEL_DIRECTORY", "MODEL_FILE", "__version__"]
__all__ = sorted([*__all__, "Model", "load_model"])  # the fast engine's public API
