class Schema:
    def __init__(self, num_classes):
        self.num_classes = num_classes

    def get_num_classes(self):
        return self.num_classes
