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
# placement: both readings within twice the sitting's fastest round trip (summarize.py). With
# USUAL=N, after the REPEATS rounds a workload goes on being repeated, all its frameworks each
# time, while one of them has fewer than N runs in the usual placement, up to MAX_REPEATS rounds
# in all (default 3 × REPEATS); the summary then says how many each got.
#
#   REPEATS=5 USUAL=3 bash scripts/reference/compare.sh mlp
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
USUAL=${USUAL:-0}
MAX_REPEATS=${MAX_REPEATS:-$((3 * REPEATS))}
workloads=("$@")
[ ${#workloads[@]} -eq 0 ] && workloads=(mlp lenet resnet18 resnet50)
[ -x "$LABBOOK" ] || { echo "compare.sh: $LABBOOK not found; run 'make build' first" >&2; exit 1; }
[ -x "$PY" ] || { echo "compare.sh: $PY not found; run 'bash scripts/reference/setup.sh' first" >&2; exit 1; }
[ "$REPEATS" -ge 1 ] && [ "$STEPS" -ge 30 ] && [ "${WARMUP:-0}" -ge 0 ] && [ "$USUAL" -ge 0 ] \
    && [ "$MAX_REPEATS" -ge "$REPEATS" ] \
    || { echo "compare.sh: REPEATS >= 1, STEPS >= 30, WARMUP >= 0, USUAL >= 0 and MAX_REPEATS >= REPEATS" >&2; exit 2; }
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
round_of() {   # workload: one run of it in every framework, interleaved
    local workload=$1
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
}

for repeat in $(seq 1 "$REPEATS"); do
    for workload in "${workloads[@]}"; do round_of "$workload"; done
done
while [ "$USUAL" -gt 0 ] && [ "$repeat" -lt "$MAX_REPEATS" ]; do
    lacking=$("$PY" scripts/reference/summarize.py "$OUT" --lacking "$USUAL")
    [ -n "$lacking" ] || break
    repeat=$((repeat + 1))
    echo "compare.sh: round $repeat for $lacking (fewer than $USUAL runs in the usual placement)" >&2
    for workload in $lacking; do round_of "$workload"; done
done

"$PY" scripts/reference/summarize.py "$OUT"
