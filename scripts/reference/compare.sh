#!/usr/bin/env bash
# Runs each Labbook benchmark next to its PyTorch/Keras reference in one sitting, REPEATS times
# (default 3), interleaved (Labbook, PyTorch[, Keras], Labbook, PyTorch, ...), and prints the
# median of each framework's repeats with their min-max, and ratios of the medians: the machines
# are noisy (the sgemm peak read 105 and 200 GFLOP/s an hour apart), so only ratios measured
# side by side mean much. Convolutional benchmarks time STEPS (default 30) steps after WARMUP
# untimed steps, the same for both frameworks, and report the median step; each Labbook run
# measures the sgemm peak in the same process right before its steps. WARMUP defaults to 100
# for LeNet-5 and 3 for the ResNets: LeNet-5's first few dozen steps run up to 2x slower than
# the rest (a start-up transient of a fraction of a second, seen in per-step times), which at
# 2-4 ms a step would otherwise be all that 30 timed steps measure. Every JSON line is kept in $OUT (default /tmp/labbook-compare.jsonl).
#
#   bash scripts/reference/compare.sh [mlp] [lenet] [resnet18] [resnet50]   # default: all four
#   REPEATS=5 STEPS=50 THREADS=2 bash scripts/reference/compare.sh resnet50
#   WARMUP=10 bash scripts/reference/compare.sh resnet18 resnet50
#   PRECISIONS="fp32 bf16" bash scripts/reference/compare.sh lenet resnet18 resnet50
#
# PRECISIONS (default fp32) runs each Labbook convolutional benchmark once per precision in every
# repeat (LABBOOK_PRECISION; bf16 needs AVX512_BF16), labelled labbook (fp32) and labbook-bf16.
#
# Before and after every run (Labbook's and the references' alike) `labbook bench round-trip`
# times a cache line's round trip between the cores; each JSON line gets both readings as
# "round_trip_ns". On a VM whose vCPUs now and then run far apart (round trips four times
# longer, for minutes) every framework's parallel steps slow down in those spells, so the
# summary also gives each framework's median over the runs made in the sitting's usual
# placement: both readings within twice the sitting's fastest round trip.
#
# Needs a release build (make build) and the reference venv (bash scripts/reference/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
LABBOOK=${LABBOOK:-.build/release/labbook}
PY=${PY:-/opt/labbook-reference-venv/bin/python}
OUT=${OUT:-/tmp/labbook-compare.jsonl}
THREADS=${THREADS:-2}
REPEATS=${REPEATS:-3}
STEPS=${STEPS:-30}
WARMUP=${WARMUP:-}
PRECISIONS=${PRECISIONS:-fp32}
workloads=("$@")
[ ${#workloads[@]} -eq 0 ] && workloads=(mlp lenet resnet18 resnet50)
[ -x "$LABBOOK" ] || { echo "compare.sh: $LABBOOK not found; run 'make build' first" >&2; exit 1; }
[ -x "$PY" ] || { echo "compare.sh: $PY not found; run 'bash scripts/reference/setup.sh' first" >&2; exit 1; }
[ "$REPEATS" -ge 1 ] && [ "$STEPS" -ge 30 ] && [ "${WARMUP:-0}" -ge 0 ] \
    || { echo "compare.sh: REPEATS >= 1, STEPS >= 30 and WARMUP >= 0" >&2; exit 2; }
: > "$OUT"

round_trip() {   # the cores' round trip in ns, or null where it cannot be measured
    "$LABBOOK" bench round-trip --json 2>/dev/null | grep -o '"round_trip_ns":[0-9.]*' | cut -d: -f2 | grep . || echo null
}

run() {   # label, command...
    local label=$1; shift
    local before after line
    before=$(round_trip)
    echo "[$(date +%T) load $(cut -d' ' -f1 /proc/loadavg) round trip ${before} ns] $label: $*" >&2
    line=$("$@" | tail -n 1)
    after=$(round_trip)
    echo "$line" | sed "s/^{/{\"label\":\"$label\",\"round_trip_ns\":[$before,$after],/" >> "$OUT"
}

for workload in "${workloads[@]}"; do
    case $workload in mlp|lenet|resnet18|resnet50) ;; *) echo "compare.sh: unknown workload $workload (mlp, lenet, resnet18, resnet50)" >&2; exit 2 ;; esac
done
for repeat in $(seq 1 "$REPEATS"); do
    for workload in "${workloads[@]}"; do
        case $workload in
        mlp)
            run labbook "$LABBOOK" bench mlp --dataset fashion-mnist --epochs 10 --threads "$THREADS" --json
            run keras "$PY" scripts/reference/mlp_keras.py --epochs 10 --threads "$THREADS"
            run pytorch "$PY" scripts/reference/mlp_torch.py --epochs 10 --threads "$THREADS" ;;
        *)
            warmup=${WARMUP:-3}; [ "$workload" = lenet ] && warmup=${WARMUP:-100}
            for precision in $PRECISIONS; do
                label=labbook; [ "$precision" = fp32 ] || label="labbook-$precision"
                LABBOOK_PRECISION=$precision run "$label" "$LABBOOK" bench "$workload" --dataset fashion-mnist --steps "$STEPS" \
                    --warmup "$warmup" --threads "$THREADS" --json
            done
            run pytorch "$PY" scripts/reference/conv_torch.py --model "$workload" --steps "$STEPS" --warmup "$warmup" \
                --threads "$THREADS" ;;
        esac
    done
done

"$PY" - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
runs = {}
for row in rows:
    key = "mlp" if row["workload"].startswith("mlp") else row["workload"].split("-")[0]
    runs.setdefault(key, {}).setdefault(row["label"], []).append(row)
def spread(values):
    return statistics.median(values), min(values), max(values)
# The sitting's usual placement: every reading of a run within twice the fastest round trip seen.
readings = [ns for row in rows for ns in row.get("round_trip_ns", []) if ns is not None]
fastest = min(readings) if readings else None
def usual(row):
    values = [ns for ns in row.get("round_trip_ns", []) if ns is not None]
    return fastest is not None and bool(values) and max(values) <= 2 * fastest
if fastest is not None:
    far = sum(not usual(row) for row in rows)
    print(f"core round trip: fastest {fastest:.0f} ns; {far} of {len(rows)} runs had a reading above {2 * fastest:.0f} ns "
          f"(another placement): the 'usual' columns leave them out")
print(f"{'workload':9} {'framework':12} {'n':>2} {'s/epoch median (min-max)':>28} {'img/s':>9} {'accuracy':>9} {'vs PyTorch':>11} "
      f"{'fraction of peak':>22} {'usual n':>7} {'usual s/epoch':>13} {'usual vs PyTorch':>16}")
for key, frameworks in runs.items():
    reference = frameworks.get("pytorch")
    reference_median = spread([r["s_per_epoch"] for r in reference])[0] if reference else None
    reference_usual = [r["s_per_epoch"] for r in reference if usual(r)] if reference else []
    for label, group in frameworks.items():
        usual_times = [r["s_per_epoch"] for r in group if usual(r)]
        usual_median = statistics.median(usual_times) if usual_times else None
        usual_speedup = (f"{statistics.median(reference_usual) / usual_median:.2f}x"
                         if usual_median is not None and reference_usual else "")
        median, low, high = spread([r["s_per_epoch"] for r in group])
        images = spread([r["train_images_per_s"] for r in group])[0] if all("train_images_per_s" in r for r in group) else None
        accuracy = group[0].get("test_accuracy")
        # How many times faster than PyTorch (medians of the interleaved repeats); PyTorch's row is 1.00x.
        speedup = "" if reference_median is None else f"{reference_median / median:.2f}x"
        fraction = ""
        if label.startswith("labbook") and all("efficiency" in r for r in group):
            f = spread([r["efficiency"]["fraction_of_peak"] for r in group])
            p = statistics.median([r["efficiency"]["peak_gflops"] for r in group])
            fraction = f"{f[0]:.2f} ({f[1]:.2f}-{f[2]:.2f}) of {p:.0f}"
        print(f"{key:9} {label:12} {len(group):>2} {f'{median:.3f} ({low:.3f}-{high:.3f})':>28} "
              f"{'' if images is None else round(images, 1)!s:>9} {'' if accuracy is None else format(accuracy, '.4f'):>9} "
              f"{speedup:>11} {fraction:>22} {len(usual_times):>7} {'' if usual_median is None else format(usual_median, '.3f'):>13} "
              f"{usual_speedup:>16}")
PY
