"""Stand-in for the parts of CapyMOA 0.10 that the DriftMoE authors' `joint_data` path uses, backed by real MOA
classes in a java process (MoaTreeServer.java). Not CapyMOA: only what that path touches."""
