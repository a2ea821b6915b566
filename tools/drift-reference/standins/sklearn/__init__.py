"""The authors' moe_model.py imports scikit-learn for its clustering modes; joint_data never calls it."""


class Unused:
    def __init__(self, *args, **kwargs):
        raise NotImplementedError("scikit-learn is not used on the joint_data path")


def unused_function(*args, **kwargs):
    raise NotImplementedError("scikit-learn is not used on the joint_data path")
