#!/usr/bin/env bash
# Runs each Labbook benchmark next to its PyTorch/Keras reference in one session and prints
# the ratios (the machines are noisy: ratios measured minutes apart mean more than absolute
# times). Every JSON line is kept in $OUT (default /tmp/labbook-compare.jsonl).
#
#   bash scripts/reference/compare.sh [mlp] [lenet] [resnet18] [resnet50]   # default: all four
#
# Needs a release build (make build) and the reference venv (bash scripts/reference/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
LABBOOK=${LABBOOK:-.build/release/labbook}
PY=${PY:-/opt/labbook-reference-venv/bin/python}
OUT=${OUT:-/tmp/labbook-compare.jsonl}
THREADS=${THREADS:-2}
workloads=("$@")
[ ${#workloads[@]} -eq 0 ] && workloads=(mlp lenet resnet18 resnet50)
[ -x "$LABBOOK" ] || { echo "compare.sh: $LABBOOK not found; run 'make build' first" >&2; exit 1; }
[ -x "$PY" ] || { echo "compare.sh: $PY not found; run 'bash scripts/reference/setup.sh' first" >&2; exit 1; }
: > "$OUT"

run() {   # label, command...
    local label=$1; shift
    echo "[$(date +%T) load $(cut -d' ' -f1 /proc/loadavg)] $label: $*" >&2
    "$@" | tail -n 1 | sed "s/^{/{\"label\":\"$label\",/" >> "$OUT"
}

for workload in "${workloads[@]}"; do
    case $workload in
    mlp)
        run labbook "$LABBOOK" bench mlp --dataset fashion-mnist --epochs 10 --threads "$THREADS" --json
        run keras "$PY" scripts/reference/mlp_keras.py --epochs 10 --threads "$THREADS"
        run pytorch "$PY" scripts/reference/mlp_torch.py --epochs 10 --threads "$THREADS" ;;
    lenet|resnet18|resnet50)
        steps=$([ "$workload" = lenet ] && echo 100 || ([ "$workload" = resnet18 ] && echo 10 || echo 5))
        run labbook "$LABBOOK" bench "$workload" --dataset fashion-mnist --steps "$steps" --threads "$THREADS" --json
        run pytorch "$PY" scripts/reference/conv_torch.py --model "$workload" --steps "$steps" --threads "$THREADS" ;;
    *) echo "compare.sh: unknown workload $workload (mlp, lenet, resnet18, resnet50)" >&2; exit 2 ;;
    esac
done

"$PY" - "$OUT" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
by_workload = {}
for row in rows:
    key = "mlp" if row["workload"].startswith("mlp") else row["workload"].split("-")[0]
    by_workload.setdefault(key, {})[row["label"]] = row
print(f"{'workload':10} {'framework':8} {'s/epoch':>9} {'img/s':>9} {'accuracy':>9} {'Labbook speed-up':>17}")
for key, runs in by_workload.items():
    ours = runs.get("labbook")
    for label, row in runs.items():
        speedup = "" if label == "labbook" or not ours else f"{row['s_per_epoch'] / ours['s_per_epoch']:.2f}x"
        images = row.get("train_images_per_s")
        accuracy = row.get("test_accuracy")
        print(f"{key:10} {label:8} {row['s_per_epoch']:9.3f} {images if images is None else round(images, 1)!s:>9} "
              f"{'' if accuracy is None else format(accuracy, '.4f'):>9} {speedup:>17}")
PY
