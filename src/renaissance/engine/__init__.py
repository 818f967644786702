"""The fast engine: Vensim models compiled into vectorised numpy ensemble plans.

Public API: :func:`load_model`, :class:`Model`, :class:`UnsupportedFeatureError`.
See ``docs/engine.md`` for the design and the semantics followed.
"""

from renaissance.engine.errors import ModelStructureError as ModelStructureError
from renaissance.engine.errors import UnsupportedFeatureError as UnsupportedFeatureError
from renaissance.engine.model import Model as Model
from renaissance.engine.model import load_model as load_model

__all__ = ["Model", "ModelStructureError", "UnsupportedFeatureError", "load_model"]
