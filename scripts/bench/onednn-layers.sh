#!/usr/bin/env bash
# Times oneDNN's convolutions (forward, backward-data, backward-weights; fp32 in its blocked and in
# plain NCHW layouts, and bf16) on the Q4 layer shapes of `labbook bench layers`, at batch 64 on
# THREADS threads (default 2): the measurement behind the README's "Where the convolution time
# could go". Installs Debian's libdnnl-dev if missing. Not part of Labbook: a benchmark.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -e /usr/include/oneapi/dnnl/dnnl.h ]; then
    echo "installing libdnnl-dev (oneDNN 2.6.3)" >&2
    apt-get install -y libdnnl-dev >&2
fi
out="${TMPDIR:-/tmp}/labbook-onednn-layers"
gcc -O2 -o "$out" onednn-layers.c -ldnnl
OMP_NUM_THREADS="${THREADS:-2}" "$out"
