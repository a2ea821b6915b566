def stream_from_file(*args, **kwargs):
    raise NotImplementedError("only Electricity and the RBF streams are served by the MOA reference harness")
