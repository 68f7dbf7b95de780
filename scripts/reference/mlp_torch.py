#!/usr/bin/env python3
"""PyTorch reference for `labbook bench mlp`: MLP 784-128-64-10 on Fashion-MNIST, Adam, batch 32.

Prints one JSON line on stdout; progress goes to stderr.
"""
import os
import sys
import time

sys.dont_write_bytecode = True  # leave no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


def main():
    p = common.mlp_argument_parser(__doc__)
    p.add_argument("--no-flush-denormal", action="store_true",
                   help="keep subnormals (Labbook flushes them to zero while training)")
    a = p.parse_args()
    common.check_mlp_arguments(p, a)

    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(a.threads)
    flush = not a.no_flush_denormal and torch.set_flush_denormal(True)
    torch.manual_seed(a.seed)

    train_x, train_y, test_x, test_y = common.load_fashion_mnist(a.data_dir)
    idx = common.labbook_train_indices(len(train_x), a.seed)
    if a.limit:
        idx = idx[:a.limit]
    xtr = torch.from_numpy(train_x[idx].reshape(len(idx), 784).astype(np.float32) / 255.0)
    ytr = torch.from_numpy(train_y[idx].astype(np.int64))
    xte = torch.from_numpy(test_x.reshape(len(test_x), 784).astype(np.float32) / 255.0)
    yte = torch.from_numpy(test_y.astype(np.int64))

    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
    for m in model:  # Keras' (and Labbook's) initialisation: Glorot uniform weights, zero biases
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    gen = torch.Generator().manual_seed(a.seed)

    n = len(xtr)
    each = []
    model.train()
    for epoch in range(a.epochs):
        start = time.perf_counter()
        order = torch.randperm(n, generator=gen)
        for s in range(0, n, a.batch):
            b = order[s:s + a.batch]
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(xtr[b]), ytr[b])
            loss.backward()
            opt.step()
        each.append(time.perf_counter() - start)
        common.log(f"epoch {epoch + 1}/{a.epochs}: {each[-1]:.3f} s, last batch loss {loss.item():.4f}")

    model.eval()
    with torch.no_grad():
        correct = sum(int((model(xte[s:s + 1000]).argmax(1) == yte[s:s + 1000]).sum()) for s in range(0, len(xte), 1000))

    common.emit({
        "workload": f"mlp-784-128-64-10-adam-batch{a.batch}", "framework": "pytorch", "version": torch.__version__,
        "dataset": "fashion-mnist", "train_samples": n, "threads": a.threads, "epochs": a.epochs,
        "s_per_epoch": sum(each) / len(each), "s_per_epoch_each": each,
        "test_accuracy": correct / len(xte), "flush_denormal": bool(flush), "peak_rss_mb": common.peak_rss_mb(), **common.machine_info(),
    })


if __name__ == "__main__":
    main()
