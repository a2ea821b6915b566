"""MOA's own RandomRBFGeneratorDrift, running in the java process (MOA_REF_SOURCE = "rbf <seed> <speed>")."""
import os
import numpy as np
from .. import _moa
from .._schema import Schema
from ..instance import LabeledInstance


class _Unavailable:
    def __init__(self, *args, **kwargs):
        raise NotImplementedError("only RandomRBFGeneratorDrift is served by the MOA reference harness")


LEDGeneratorDrift = SEA = _Unavailable


class RandomRBFGeneratorDrift:
    def __init__(self, model_random_seed=1, instance_random_seed=1, number_of_classes=2, number_of_attributes=10,
                 number_of_centroids=50, number_of_drifting_centroids=2, magnitude_of_change=0.0):
        # the java process was started for exactly the stream the authors' DataLoader asks for
        expected = f"rbf {model_random_seed} {magnitude_of_change!r}"
        if os.environ["MOA_REF_SOURCE"] != expected:
            raise ValueError(f"MOA_REF_SOURCE: expected '{expected}', got '{os.environ['MOA_REF_SOURCE']}'")
        if (instance_random_seed, number_of_classes, number_of_attributes, number_of_centroids,
                number_of_drifting_centroids) != (model_random_seed, 2, 10, 50, 50):
            raise ValueError("RandomRBFGeneratorDrift: the java process serves 2 classes, 10 attributes, 50 of 50 "
                             "centroids drifting, instance seed = model seed")
        self.schema = Schema(2)

    def restart(self):
        _moa.call("R")

    def get_schema(self):
        return self.schema

    def has_more_instances(self):
        return True

    def next_instance(self):
        v = _moa.call("G").split(" ")
        return LabeledInstance(int(v[0]), np.array([float(t) for t in v[1:-1]]), int(v[-1]), self.schema)
