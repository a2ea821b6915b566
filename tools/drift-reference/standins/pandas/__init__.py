# The authors' config.py imports pandas for a commented-out resume block; joint_data never calls it.
def read_csv(*args, **kwargs):
    raise NotImplementedError("pandas is not used on the joint_data path")
