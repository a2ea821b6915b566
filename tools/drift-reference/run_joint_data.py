"""Runs the DriftMoE authors' MoE-Data (`MoEModel.train_joint_data`, or `cv_prequential` with folds > 1) from
their `driftmoe/` folder, unmodified, with real MOA Hoeffding trees behind the CapyMOA stand-in (standins/).

    python3 run_joint_data.py <driftmoe-checkout> <dataset> <seed> <instances> [cv_folds]

Prints one JSON line: {stream, seed, instances, accuracy (fraction), seconds}. The java process must be
described by MOA_REF_SOURCE ("<file.arff>" or "rbf <seed> <speed>") and MOA_REF_CLASSES (run-cell.sh sets both).
"""
import argparse
import json
import os
import sys
import time

checkout, dataset, seed, instances = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
folds = int(sys.argv[5]) if len(sys.argv) > 5 else 1
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "standins"))
sys.path.insert(0, checkout)
real_stdout = sys.stdout
sys.stdout = sys.stderr  # the authors' prints (config.py prints at import) go to stderr; stdout carries the JSON
from driftmoe.config import dataset_configs  # noqa: E402
from driftmoe.moe_model import MoEModel, cv_prequential  # noqa: E402

# The authors' get_config() defaults (config.py), with the dataset's input_dim / num_classes merged in the way
# run_experiments.py merges an EXPERIMENT_SETS entry.
cfg = argparse.Namespace(mode="joint_data", cv_folds=folds, dataset=dataset, total_samples=instances, n_experts=12,
                         top_k=3, hidden_dim=256, lr_router=2e-3, batch_size=256, epochs=75, print_every=5000,
                         seed=seed, seeds=[seed], parallel=False, burn_in_frac=0.10, sample_frac=0.05, max_k=15,
                         cluster_type="kmeans", label_delay=0, **dataset_configs[dataset])
t0 = time.time()
if folds > 1:
    acc, _, _ = cv_prequential(cfg, seed)
else:
    model = MoEModel(cfg, seed)
    acc, _, _ = model.train_joint_data()
seen = min(45_312, instances) if dataset == "elec" else instances
sys.stdout = real_stdout
print(json.dumps({"stream": dataset, "seed": seed, "instances": seen, "accuracy": acc / 100.0,
                  "seconds": time.time() - t0}))
