"""Shared helpers for the reference benchmarks: IDX loading, Labbook's seeded shuffle, JSON output.

Only the standard library and numpy; imported by mlp_torch.py, mlp_keras.py and conv_torch.py.
"""
import gzip
import json
import os
import resource
import sys

import numpy as np

DEFAULT_DATA_DIR = "/usr/share/datasets/fashion-mnist"
MASK64 = (1 << 64) - 1


class SeededGenerator:
    """Port of Labbook's `SeededGenerator` (Sources/Tensor/SeededGenerator.swift): xoshiro256**
    seeded by SplitMix64, Lemire's unbiased bounded integers and Fisher-Yates permutations.
    The same seed gives the same permutation as the Swift engine, so both train on the same
    48,000 images and draw the same convolutional batches."""

    def __init__(self, seed):
        s = seed & MASK64
        state = []
        for _ in range(4):
            s = (s + 0x9E3779B97F4A7C15) & MASK64
            z = s
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
            state.append(z ^ (z >> 31))
        self.s = state

    @staticmethod
    def _rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & MASK64

    def next(self):
        s0, s1, s2, s3 = self.s
        result = (self._rotl((s1 * 5) & MASK64, 7) * 9) & MASK64
        shifted = (s1 << 17) & MASK64
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= shifted
        s3 = self._rotl(s3, 45)
        self.s = [s0, s1, s2, s3]
        return result

    def next_index(self, upper):
        bound = upper
        product = self.next() * bound
        low = product & MASK64
        if low < bound:
            threshold = ((1 << 64) - bound) % bound
            while low < threshold:
                product = self.next() * bound
                low = product & MASK64
        return product >> 64

    def permutation(self, count):
        indices = list(range(count))
        for i in range(count - 1, 0, -1):
            j = self.next_index(i + 1)
            indices[i], indices[j] = indices[j], indices[i]
        return indices


def mlp_argument_parser(doc):
    """The options both MLP references take (`labbook bench mlp`'s, plus --limit and --data-dir)."""
    import argparse
    p = argparse.ArgumentParser(description=doc)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--seed", type=int, default=42, help="Labbook's default seed; picks the same 48,000 images")
    p.add_argument("--limit", type=int, default=None, help="train on only the first N of the 48,000 (smoke tests)")
    p.add_argument("--data-dir", default=DEFAULT_DATA_DIR)
    return p


def check_mlp_arguments(p, a):
    if a.epochs < 1 or a.threads < 1 or a.batch < 1:
        p.error("--epochs, --threads and --batch must be positive")


def labbook_train_indices(count, seed, validation_fraction=0.2):
    """Labbook's `shuffledValidationSplit`: a seeded permutation, the last 20% held out."""
    order = SeededGenerator(seed).permutation(count)
    validation = int(round(count * validation_fraction))
    return np.asarray(order[:count - validation], dtype=np.int64)


def _open(path):
    if os.path.exists(path):
        return open(path, "rb")
    if os.path.exists(path + ".gz"):
        return gzip.open(path + ".gz", "rb")
    raise FileNotFoundError(f"neither {path} nor {path}.gz exists")


def read_idx(path):
    with _open(path) as f:
        data = f.read()
    if data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims))
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_fashion_mnist(data_dir=DEFAULT_DATA_DIR):
    """(train_images uint8 [60000,28,28], train_labels, test_images, test_labels)."""
    j = lambda name: os.path.join(data_dir, name)
    return (read_idx(j("train-images-idx3-ubyte")), read_idx(j("train-labels-idx1-ubyte")),
            read_idx(j("t10k-images-idx3-ubyte")), read_idx(j("t10k-labels-idx1-ubyte")))


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def log(message):
    print(message, file=sys.stderr, flush=True)


def emit(record):
    """The one JSON line on stdout."""
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def machine_info():
    """Context for noisy shared machines: cores, 1-minute load average at the end of the run,
    and the OpenMP wait policy (spin-waiting threads suffer badly when the cores are busy)."""
    return {"cpu_count": os.cpu_count(), "load_avg_1min": round(os.getloadavg()[0], 2),
            "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "default")}
