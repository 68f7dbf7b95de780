#!/usr/bin/env bash
# Builds and runs the bf16 GEMM kernel's tests and benchmark (Sources/CBF16) against OpenBLAS:
# tests first (exit 1 on failure), then the single-thread sgemm-vs-bf16 table. Not part of
# Labbook's build: a standalone check with clang (or gcc) -O2 and -lopenblas, no global -m flags.
# Usage: scripts/bench/bf16-gemm.sh [--test | --bench]   (REPS=N sets the benchmark repeats)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${TMPDIR:-/tmp}/bf16work"
mkdir -p "$out"
cc="${CC:-$(command -v clang || command -v gcc)}"
"$cc" -O2 -Wall -Wextra -I"$root/Sources/CBF16/include" -o "$out/bf16-gemm" \
    "$here/bf16-gemm.c" "$root/Sources/CBF16/bf16_gemm.c" -lopenblas -lm
grep -m1 "model name" /proc/cpuinfo || true
exec "$out/bf16-gemm" "$@"
