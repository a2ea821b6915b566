class LabeledInstance:
    """An instance held by the java process (`idx`), with CapyMOA's `x` (nominals as indices) and `y_index`."""

    def __init__(self, idx, x, y_index, schema=None):
        self.idx, self.x, self.y_index, self.schema = idx, x, y_index, schema

    @staticmethod
    def from_array(schema, x, y_index):
        raise NotImplementedError("label delay (DelayedLabelStream) is not part of the runs reproduced here")
