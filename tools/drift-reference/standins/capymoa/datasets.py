"""`Electricity` (and `Covtype`) as the ARFF file the java process was started with (MOA_REF_SOURCE)."""
import numpy as np
from . import _moa
from ._schema import Schema
from .instance import LabeledInstance


class _FileStream:
    def __init__(self, directory=None):
        self.rows = []
        for line in _moa.lines("D", int(_moa.call("C"))):
            v = line.split(" ")
            self.rows.append((np.array([float(t) for t in v[:-1]]), int(v[-1])))
        self.schema = Schema(1 + max(y for _, y in self.rows))
        self.pos = 0

    def restart(self):
        self.pos = 0

    def get_schema(self):
        return self.schema

    def has_more_instances(self):
        return self.pos < len(self.rows)

    def next_instance(self):
        x, y = self.rows[self.pos]
        self.pos += 1
        return LabeledInstance(self.pos - 1, x, y, self.schema)


class Electricity(_FileStream):
    pass


class Covtype(_FileStream):
    pass
