from .generator import _Unavailable

DriftStream = AbruptDrift = GradualDrift = _Unavailable
