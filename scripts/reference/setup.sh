#!/usr/bin/env bash
# Creates (idempotently) the virtualenv for Labbook's reference benchmarks and installs
# CPU-only PyTorch, TensorFlow CPU + Keras and numpy, pinned to the versions measured with.
#   bash scripts/reference/setup.sh          # VENV=/some/where to change the location
set -euo pipefail

VENV="${VENV:-/opt/labbook-reference-venv}"
PYTHON="${PYTHON:-python3}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

TORCH_VERSION="2.13.0"          # the CPU build, 2.13.0+cpu, where it can be had
TENSORFLOW_VERSION="2.21.0"     # tensorflow-cpu from PyPI
KERAS_VERSION="3.15.1"
NUMPY_VERSION="2.4.6"

if [ ! -x "$VENV/bin/python" ]; then
  echo "creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check)

# Everything already there at the pinned versions: nothing to do.
if "$VENV/bin/python" - "$TORCH_VERSION" "$TENSORFLOW_VERSION" "$KERAS_VERSION" "$NUMPY_VERSION" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
torch_v, tf_v, keras_v, np_v = sys.argv[1:]
ok = (version("torch").split("+")[0] == torch_v and version("tensorflow-cpu") == tf_v
      and version("keras") == keras_v and version("numpy") == np_v)
sys.exit(0 if ok else 1)
PY
then
  echo "reference venv $VENV is up to date (torch $TORCH_VERSION, tensorflow-cpu $TENSORFLOW_VERSION, keras $KERAS_VERSION, numpy $NUMPY_VERSION)"
  exit 0
fi

# TensorFlow, Keras, numpy (and their dependencies, as frozen) from PyPI.
"${PIP[@]}" install -c "$HERE/constraints.txt" \
  "tensorflow-cpu==$TENSORFLOW_VERSION" "keras==$KERAS_VERSION" "numpy==$NUMPY_VERSION"

# CPU-only PyTorch from pip's find-links where a machine keeps that wheel (e.g. /opt/wheels),
# else the default PyPI build (CUDA-enabled and much larger, same CPU code). Packages are named,
# never their registry's address: pip's own configuration says where they come from.
if ! "${PIP[@]}" install -c "$HERE/constraints.txt" "torch==$TORCH_VERSION+cpu" 2>/dev/null; then
  "${PIP[@]}" install -c "$HERE/constraints.txt" "torch==$TORCH_VERSION"
fi

"$VENV/bin/python" -c 'import torch, numpy; print("torch", torch.__version__, "numpy", numpy.__version__)'
TF_CPP_MIN_LOG_LEVEL=2 "$VENV/bin/python" -c 'import tensorflow as tf, keras; print("tensorflow", tf.__version__, "keras", keras.__version__)'
