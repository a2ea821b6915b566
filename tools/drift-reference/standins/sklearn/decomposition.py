from . import Unused as PCA  # noqa: F401
