#!/usr/bin/env python3
"""PyTorch reference for `labbook bench lenet|resnet18|resnet50`: training throughput (Adam,
cross-entropy, train mode) on 28x28 single-channel batches, timed over --steps steps after
--warmup warm-up steps. Prints one JSON line on stdout; progress goes to stderr.
"""
import argparse
import os
import sys
import time

sys.dont_write_bytecode = True  # leave no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

EXPECTED_PARAMETERS = {"lenet": 61_706, "resnet18": 11_175_370, "resnet50": 23_522_250}


def build_model(name, classes=10):
    import torch.nn as nn

    if name == "lenet":
        # Labbook's LeNet5.swift: ReLU + max pooling, full C3.
        return nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, classes))

    # torchvision's ResNet layout (v1.5: the stride sits on the 3x3 convolution of a bottleneck),
    # written out so that torchvision is not needed; 1-channel stem, `classes` logits.
    def conv3x3(cin, cout, stride=1):
        return nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)

    def conv1x1(cin, cout, stride=1):
        return nn.Conv2d(cin, cout, 1, stride=stride, bias=False)

    class BasicBlock(nn.Module):
        expansion = 1

        def __init__(self, cin, width, stride, downsample):
            super().__init__()
            self.conv1, self.bn1 = conv3x3(cin, width, stride), nn.BatchNorm2d(width)
            self.conv2, self.bn2 = conv3x3(width, width), nn.BatchNorm2d(width)
            self.relu, self.downsample = nn.ReLU(inplace=True), downsample

        def forward(self, x):
            identity = x if self.downsample is None else self.downsample(x)
            out = self.relu(self.bn1(self.conv1(x)))
            return self.relu(self.bn2(self.conv2(out)) + identity)

    class Bottleneck(nn.Module):
        expansion = 4

        def __init__(self, cin, width, stride, downsample):
            super().__init__()
            self.conv1, self.bn1 = conv1x1(cin, width), nn.BatchNorm2d(width)
            self.conv2, self.bn2 = conv3x3(width, width, stride), nn.BatchNorm2d(width)
            self.conv3, self.bn3 = conv1x1(width, width * 4), nn.BatchNorm2d(width * 4)
            self.relu, self.downsample = nn.ReLU(inplace=True), downsample

        def forward(self, x):
            identity = x if self.downsample is None else self.downsample(x)
            out = self.relu(self.bn1(self.conv1(x)))
            out = self.relu(self.bn2(self.conv2(out)))
            return self.relu(self.bn3(self.conv3(out)) + identity)

    block, depths = {"resnet18": (BasicBlock, [2, 2, 2, 2]), "resnet50": (Bottleneck, [3, 4, 6, 3])}[name]
    layers = [nn.Conv2d(1, 64, 7, stride=2, padding=3, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True),
              nn.MaxPool2d(3, stride=2, padding=1)]
    cin = 64
    for stage, depth in enumerate(depths):
        width = 64 << stage
        for i in range(depth):
            stride = 2 if (i == 0 and stage > 0) else 1
            down = None
            if stride != 1 or cin != width * block.expansion:
                down = nn.Sequential(conv1x1(cin, width * block.expansion, stride), nn.BatchNorm2d(width * block.expansion))
            layers.append(block(cin, width, stride, down))
            cin = width * block.expansion
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, classes)]
    model = nn.Sequential(*layers)
    for m in model.modules():  # torchvision's initialisation
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
    return model


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--model", choices=sorted(EXPECTED_PARAMETERS), required=True)
    p.add_argument("--steps", type=int, default=30, help="timed training steps (Labbook's default: 30)")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--data", choices=["fashion-mnist", "random"], default="fashion-mnist",
                   help="fashion-mnist: batches in Labbook's seeded order; random: uniform [0,1) pixels")
    p.add_argument("--data-dir", default=common.DEFAULT_DATA_DIR)
    p.add_argument("--no-flush-denormal", action="store_true",
                   help="keep subnormals (Labbook flushes them to zero while training)")
    a = p.parse_args()
    if a.steps < 1 or a.batch < 1 or a.threads < 1 or a.warmup < 0:
        p.error("--steps, --batch and --threads must be positive, --warmup non-negative")

    import numpy as np
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(a.threads)
    flush = not a.no_flush_denormal and torch.set_flush_denormal(True)
    torch.manual_seed(a.seed)

    total = a.warmup + a.steps
    if a.data == "fashion-mnist":
        train_x, train_y, _, _ = common.load_fashion_mnist(a.data_dir)
        order = common.SeededGenerator(a.seed).permutation(len(train_x))
        picks = np.asarray([order[k % len(order)] for k in range(total * a.batch)], dtype=np.int64)
        xs = torch.from_numpy(train_x[picks].astype(np.float32) / 255.0).reshape(total, a.batch, 1, 28, 28)
        ys = torch.from_numpy(train_y[picks].astype(np.int64)).reshape(total, a.batch)
    else:
        g = torch.Generator().manual_seed(a.seed)
        xs = torch.rand(total, a.batch, 1, 28, 28, generator=g)
        ys = torch.randint(0, 10, (total, a.batch), generator=g)

    model = build_model(a.model)
    parameters = sum(t.numel() for t in model.parameters())
    expected = EXPECTED_PARAMETERS[a.model]
    common.log(f"{a.model}: {parameters:,} parameters (expected {expected:,})"
               + ("" if parameters == expected else "  <-- MISMATCH"))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    model.train()

    step_times = []
    for step in range(total):
        start = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xs[step]), ys[step])
        loss.backward()
        opt.step()
        elapsed = time.perf_counter() - start
        if step >= a.warmup:
            step_times.append(elapsed)
        common.log(f"step {step + 1}/{total}{' (warm-up)' if step < a.warmup else ''}: {elapsed:.3f} s, loss {loss.item():.4f}")

    # The median step, as Labbook's bench: robust to the odd step a noisy machine slows down.
    ordered = sorted(step_times)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    images_per_s = a.batch / median
    common.emit({
        "workload": f"{a.model}-adam-batch{a.batch}", "framework": "pytorch", "version": torch.__version__,
        "dataset": a.data, "threads": a.threads, "batch": a.batch,
        "warmup_steps": a.warmup, "measured_steps": a.steps,
        "s_per_epoch": 60000 / images_per_s, "train_images_per_s": images_per_s,
        "step_seconds": {"median": median, "min": ordered[0], "max": ordered[-1]},
        "parameters": parameters, "parameters_expected": expected,
        "flush_denormal": bool(flush), "peak_rss_mb": common.peak_rss_mb(), **common.machine_info(),
    })
    if parameters != expected:
        sys.exit(1)


if __name__ == "__main__":
    main()
