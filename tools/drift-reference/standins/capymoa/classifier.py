from . import _moa


class HoeffdingTree:
    """A MOA HoeffdingTree with CapyMOA 0.10's defaults (tie threshold 0.05, NaiveBayesAdaptive leaves,
    pre-pruning disabled) and its predict / predict_proba / train semantics."""

    def __init__(self, schema=None, random_seed=0, grace_period=200, confidence=1e-3, tie_threshold=0.05,
                 leaf_prediction=2, binary_split=False, stop_mem_management=True, disable_prepruning=True):
        self.id = int(_moa.call(f"N {grace_period} {confidence!r} {tie_threshold!r} {leaf_prediction} "
                                f"{int(binary_split)} {int(disable_prepruning)}"))
        _moa.invalidate()

    def train(self, instance):
        _moa.trained(self.id, instance.idx)

    def predict_proba(self, instance):
        # CapyMOA returns MOA's getVotesForInstance array as it is (not normalised)
        return list(_moa.votes(self.id, instance.idx))

    def predict(self, instance):
        # moa.core.Utils.maxIndex: the first index whose value beats the running maximum (NaN never does)
        best, top = 0, 0.0
        for i, v in enumerate(_moa.votes(self.id, instance.idx)):
            if i == 0 or v > top:
                best, top = i, v
        return best
