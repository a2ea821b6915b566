from . import Unused as GaussianMixture  # noqa: F401
