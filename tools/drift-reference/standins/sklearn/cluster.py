from . import Unused as KMeans  # noqa: F401
