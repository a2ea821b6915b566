class ClassificationEvaluator:
    """Cumulative prequential accuracy in percent, as MOA's BasicClassificationPerformanceEvaluator reports it
    (kappa-M and kappa-temporal are approximations: the runs here compare accuracy only)."""

    def __init__(self, schema=None):
        self.n = self.correct = self.majority_correct = self.persistent_correct = 0
        self.counts = {}
        self.last = None

    def update(self, y_target_index, y_pred_index):
        y = y_target_index
        self.n += 1
        self.correct += int(y == y_pred_index)
        majority = max(self.counts, key=self.counts.get) if self.counts else 0
        self.majority_correct += int(y == majority)
        self.persistent_correct += int(self.last is not None and y == self.last)
        self.counts[y] = self.counts.get(y, 0) + 1
        self.last = y

    def accuracy(self):
        return 100.0 * self.correct / max(1, self.n)

    def _kappa(self, baseline_correct):
        p, b = self.correct / max(1, self.n), baseline_correct / max(1, self.n)
        return 100.0 * (p - b) / (1 - b) if b < 1 else 0.0

    def kappa_m(self):
        return self._kappa(self.majority_correct)

    def kappa_t(self):
        return self._kappa(self.persistent_correct)
