class Accuracy:
    """river.metrics.Accuracy as the authors use it (per-expert logging only)."""

    def __init__(self):
        self.n = self.correct = 0

    def update(self, y_true, y_pred):
        self.n += 1
        self.correct += int(y_true == y_pred)

    def get(self):
        return self.correct / self.n if self.n else 0.0
