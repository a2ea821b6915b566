#!/usr/bin/env bash
# One MoE-Data cell of the DriftMoE authors' code against real MOA: builds MOA's classes from source once
# (into $MOA_REF_CLASSES, default tools/drift-reference/.classes), then runs run_joint_data.py.
#   DRIFTMOE_SRC=<checkout of miguel-ceadar/drift-moe a3d8a46> MOA_SRC=<checkout of Waikato/moa> \
#     bash tools/drift-reference/run-cell.sh <elec|rbf_m|rbf_f> <seed> <instances> [cv_folds]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
stream="$1"; seed="$2"; instances="$3"; folds="${4:-1}"
: "${DRIFTMOE_SRC:?set DRIFTMOE_SRC to a checkout of github.com/miguel-ceadar/drift-moe (commit a3d8a46)}"
: "${MOA_SRC:?set MOA_SRC to a checkout of github.com/Waikato/moa}"
[ -f "$DRIFTMOE_SRC/driftmoe/moe_model.py" ] || { echo "DRIFTMOE_SRC: expected driftmoe/moe_model.py under '$DRIFTMOE_SRC'" >&2; exit 2; }
src="$MOA_SRC/moa/src/main/java"
[ -f "$src/moa/classifiers/trees/HoeffdingTree.java" ] || { echo "MOA_SRC: expected moa/src/main/java/moa/classifiers/trees/HoeffdingTree.java under '$MOA_SRC'" >&2; exit 2; }
command -v javac >/dev/null || { echo "javac not found: install a JDK (Debian: openjdk-17-jdk-headless)" >&2; exit 2; }
python="${PYTHON:-/usr/bin/python3}"
"$python" -c "import torch, numpy" 2>/dev/null || { echo "$python cannot import torch and numpy (Debian: python3-torch)" >&2; exit 2; }
export MOA_REF_CLASSES="${MOA_REF_CLASSES:-$here/.classes}"
if [ ! -f "$MOA_REF_CLASSES/MoaTreeServer.class" ]; then
  mkdir -p "$MOA_REF_CLASSES/stub/sizeof/agent"
  cp "$here/SizeOfAgent.java" "$MOA_REF_CLASSES/stub/sizeof/agent/"
  # ClassOption finds split criteria and observers by name at run time: compile those packages explicitly.
  javac -nowarn -d "$MOA_REF_CLASSES" -sourcepath "$src:$MOA_REF_CLASSES/stub" "$here/MoaTreeServer.java" \
    $(find "$src/moa/classifiers/core/splitcriteria" "$src/moa/classifiers/core/attributeclassobservers" \
      "$src/moa/classifiers/core/conditionaltests" -name '*.java') 2>&1 | grep -v '^Note:' >&2 || true
  [ -f "$MOA_REF_CLASSES/MoaTreeServer.class" ] || { echo "compiling MOA failed" >&2; exit 1; }
fi
case "$stream" in
  elec) export MOA_REF_SOURCE="${ELEC_ARFF:-$here/../../../shared/data/elecNormNew.arff}" ;;
  rbf_m) export MOA_REF_SOURCE="rbf $seed 0.0001" ;;
  rbf_f) export MOA_REF_SOURCE="rbf $seed 0.001" ;;
  *) echo "stream: expected elec, rbf_m or rbf_f, got '$stream'" >&2; exit 2 ;;
esac
exec "$python" "$here/run_joint_data.py" "$DRIFTMOE_SRC" "$stream" "$seed" "$instances" "$folds"
