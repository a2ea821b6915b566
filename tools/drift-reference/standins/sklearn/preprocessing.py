from . import Unused as StandardScaler  # noqa: F401
