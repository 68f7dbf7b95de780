#!/usr/bin/env python3
"""PyTorch reference for Question 4's training recipe: LeNet-5, ResNet-18 and ResNet-50 (the
layouts of conv_torch.py) trained on full MNIST with Labbook's recipe, at each network's epoch
budget and at twice it, over several seeds.

Recipe (Q4Recipe.swift, ConvolutionalTraining.swift): a stratified 10% of the 60,000 training
images is held out for validation (split seeded by the run's seed), batch 64 reshuffled every
epoch with the last partial batch kept; He-normal (fan-in) convolutions with zero biases,
Glorot-uniform Linear weights with zero biases, BN gamma 1 / beta 0, and for the ResNets the last
BN gamma of every residual block at 0; Adam (0.9, 0.999, eps 1e-7) under OneCycleLR (max_lr 3e-3,
pct_start 0.25, cosine, div_factor 25, final_div_factor 1e4, no momentum cycling) stepped every
batch; validation accuracy after every epoch; the best validation epoch's weights (first on ties,
BN buffers included) are tested on the 10,000 test images.

Two modes:
  one run:  --model lenet --epochs 8 --seed 0           prints one JSON line on stdout
  all runs: --all [--jobs N] [--deadline S] --out F     runs every (network, budget, seed) as its
            own process, N at a time, and writes one JSON file (rewritten as runs finish).
Progress goes to stderr.
"""
import argparse
import gzip
import hashlib
import json
import math
import os
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # leave no __pycache__ beside the scripts
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_DATA_DIR = os.path.join(ROOT, "data", "mnist")
# Each network's epoch budget in Labbook's default profile (Q4Recipe.epochBudget); the runs use it and twice it.
BUDGETS = {"lenet": 8, "resnet18": 3, "resnet50": 4}
NETWORK_NAMES = {"lenet": "LeNet-5", "resnet18": "ResNet-18", "resnet50": "ResNet-50"}
BATCH = 64
VALIDATION_FRACTION = 0.1
PEAK_LR = 3e-3
PCT_START = 0.25
EVAL_BATCH = 2000
FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def log(message):
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Data

def read_idx_bytes(path):
    """The raw bytes of an IDX file, `path` itself or `path.gz` (same content, compressed)."""
    if os.path.exists(path):
        with open(path, "rb") as f:
            return f.read()
    if os.path.exists(path + ".gz"):
        with gzip.open(path + ".gz", "rb") as f:
            return f.read()
    raise FileNotFoundError(f"neither {path} nor {path}.gz exists")


def parse_idx(data, name):
    import numpy as np
    if data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError(f"{name}: not an unsigned-byte IDX file")
    dims = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims))
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_mnist(data_dir, sums_file=None):
    """(train_x, train_y, test_x, test_y) as uint8 numpy arrays; checks SHA-256 sums of the
    uncompressed bytes against `sums_file` (sha256sum format) when given."""
    expected = {}
    if sums_file:
        with open(sums_file) as f:
            for line in f:
                if line.strip():
                    digest, name = line.split()
                    expected[name.lstrip("*")] = digest
    arrays = []
    for name in FILES:
        data = read_idx_bytes(os.path.join(data_dir, name))
        if sums_file:
            digest = hashlib.sha256(data).hexdigest()
            if expected.get(name) != digest:
                raise SystemExit(f"{name}: SHA-256 {digest} does not match {sums_file}")
        arrays.append(parse_idx(data, name))
    return tuple(arrays)


def stratified_split(labels, fraction, seed):
    """Per class (increasing label), a seeded shuffle; the first round(fraction * count) go to
    validation. Both index lists are then shuffled. numpy's PCG64 seeded by `seed`: the same
    scheme as Labbook's `stratifiedSplit`, not the same draws."""
    import numpy as np
    rng = np.random.default_rng(seed)
    train, val = [], []
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        rng.shuffle(idx)
        k = int(round(len(idx) * fraction))
        val.append(idx[:k])
        train.append(idx[k:])
    train, val = np.concatenate(train), np.concatenate(val)
    rng.shuffle(train)
    rng.shuffle(val)
    return train, val


# ---------------------------------------------------------------------------------------------
# Model

def make_model(name, torch, nn):
    from conv_torch import build_model, EXPECTED_PARAMETERS
    model = build_model(name)
    parameters = sum(t.numel() for t in model.parameters())
    if parameters != EXPECTED_PARAMETERS[name]:
        raise SystemExit(f"{name}: {parameters} parameters, expected {EXPECTED_PARAMETERS[name]}")
    zeroed = 0
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
    if name != "lenet":  # torchvision's zero_init_residual
        for m in model.modules():
            kind = type(m).__name__
            if kind == "Bottleneck":
                nn.init.zeros_(m.bn3.weight)
                zeroed += 1
            elif kind == "BasicBlock":
                nn.init.zeros_(m.bn2.weight)
                zeroed += 1
    return model, parameters, zeroed


# ---------------------------------------------------------------------------------------------
# One run

def train_one(a):
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    started = time.perf_counter()
    torch.set_num_threads(a.threads)
    device = torch.device(a.device if a.device != "auto" else ("cuda" if torch.cuda.is_available() else "cpu"))
    # Plain fp32 everywhere: no TF32 in matmuls or cuDNN convolutions.
    torch.backends.cuda.matmul.allow_tf32 = a.tf32
    torch.backends.cudnn.allow_tf32 = a.tf32
    torch.set_float32_matmul_precision("high" if a.tf32 else "highest")

    train_x, train_y, test_x, test_y = load_mnist(a.data_dir, a.check_sums)
    pool = np.arange(len(train_x))
    if a.limit:
        pool = pool[:a.limit]
    tr, va = stratified_split(train_y[pool], VALIDATION_FRACTION, a.seed)
    tr, va = pool[tr], pool[va]
    test_n = len(test_x) if not a.test_limit else min(a.test_limit, len(test_x))

    def to_device(x, y):
        xs = torch.from_numpy(np.ascontiguousarray(x)).to(device).float().div_(255.0).reshape(-1, 1, 28, 28)
        return xs, torch.from_numpy(y.astype(np.int64)).to(device)

    xtr, ytr = to_device(train_x[tr], train_y[tr])
    xva, yva = to_device(train_x[va], train_y[va])
    xte, yte = to_device(test_x[:test_n], test_y[:test_n])
    n_train = len(tr)
    steps_per_epoch = math.ceil(n_train / a.batch)

    torch.manual_seed(a.seed)
    model, parameters, zeroed = make_model(a.model, torch, nn)
    model.to(device)
    fused = device.type == "cuda"
    opt = torch.optim.Adam(model.parameters(), lr=PEAK_LR, betas=(0.9, 0.999), eps=1e-7, fused=fused)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=PEAK_LR, total_steps=a.epochs * steps_per_epoch, pct_start=PCT_START,
        anneal_strategy="cos", div_factor=25.0, final_div_factor=1e4, cycle_momentum=False)
    gen = torch.Generator(device=device)
    gen.manual_seed(a.seed)

    def accuracy(x, y):
        model.eval()
        correct = torch.zeros((), dtype=torch.int64, device=device)
        with torch.no_grad():
            for i in range(0, len(x), EVAL_BATCH):
                correct += (model(x[i:i + EVAL_BATCH]).argmax(1) == y[i:i + EVAL_BATCH]).sum()
        return correct.item() / len(x)

    train_loss, val_acc, epoch_s, lrs_end = [], [], [], []
    best_acc, best_epoch, best_state = -1.0, 0, None
    train_seconds = 0.0
    for epoch in range(1, a.epochs + 1):
        t0 = time.perf_counter()
        model.train()
        order = torch.randperm(n_train, device=device, generator=gen)
        loss_sum = torch.zeros((), dtype=torch.float64, device=device)
        for s in range(steps_per_epoch):
            idx = order[s * a.batch:(s + 1) * a.batch]
            xb, yb = xtr[idx], ytr[idx]
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += loss.detach().double() * len(idx)
        epoch_loss = loss_sum.item() / n_train
        if device.type == "cuda":
            torch.cuda.synchronize()
        train_seconds += time.perf_counter() - t0
        acc = accuracy(xva, yva)
        epoch_s.append(time.perf_counter() - t0)
        train_loss.append(epoch_loss)
        val_acc.append(acc)
        lrs_end.append(opt.param_groups[0]["lr"])
        if acc > best_acc:
            best_acc, best_epoch = acc, epoch
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        # One progress line per epoch; the --all driver reads these back if it has to stop a run.
        log("EPOCH " + json.dumps({"epoch": epoch, "train_loss": epoch_loss, "val_accuracy": acc,
                                   "seconds": epoch_s[-1], "lr_end": lrs_end[-1]}))

    model.load_state_dict(best_state)
    test_acc = accuracy(xte, yte)
    record = {
        "network": NETWORK_NAMES[a.model], "model": a.model, "epochs": a.epochs, "seed": a.seed,
        "train_loss": train_loss, "val_accuracy": val_acc, "best_epoch": best_epoch,
        "best_val_accuracy": best_acc, "test_accuracy": test_acc,
        "wall_s": time.perf_counter() - started, "train_s": train_seconds, "epoch_s": epoch_s,
        "lr_end_of_epoch": lrs_end,
        "train_count": n_train, "val_count": len(va), "test_count": test_n,
        "steps_per_epoch": steps_per_epoch, "total_steps": a.epochs * steps_per_epoch,
        "final_lr": opt.param_groups[0]["lr"], "parameters": parameters, "zeroed_residual_gammas": zeroed,
        "device": str(device), "complete": True,
    }
    print(json.dumps(record), flush=True)


# ---------------------------------------------------------------------------------------------
# All runs

def environment(tf32):
    info = {"python": sys.version.split()[0]}
    try:
        import torch
        info["torch"] = torch.__version__
        info["cuda"] = torch.version.cuda
        info["cudnn"] = torch.backends.cudnn.version() if torch.backends.cudnn.is_available() else None
        info["gpu"] = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    except Exception as e:  # noqa: BLE001
        info["torch_error"] = repr(e)
    info["precision"] = ("fp32 weights and activations; TF32 allowed in matmuls and cuDNN convolutions" if tf32 else
                         "fp32 throughout: TF32 off for matmuls (torch.backends.cuda.matmul.allow_tf32=False) "
                         "and cuDNN convolutions (torch.backends.cudnn.allow_tf32=False)")
    info["cpu_count"] = os.cpu_count()
    return info


def run_all(a, argv):
    specs = []
    for seed in a.seeds:
        for model, budget in BUDGETS.items():
            if model not in a.models:
                continue
            for factor in (1, 2):
                specs.append((model, budget * factor, seed))
    # Longest first (rough cost per epoch), so the short runs fill in at the end.
    cost = {"lenet": 1, "resnet18": 5, "resnet50": 14}
    specs.sort(key=lambda s: -cost[s[0]] * s[1])
    drop_first = [s for s in specs if s[0] == "resnet50" and s[1] == 2 * BUDGETS["resnet50"]]

    logdir = a.log_dir or os.path.join("/tmp", f"q4_recipe_logs_{os.getpid()}")
    os.makedirs(logdir, exist_ok=True)
    t_start = time.time()
    header = {"description": "PyTorch reference for Labbook's Question 4 recipe (scripts/reference/q4_recipe_torch.py)",
              "command": " ".join(["python3", os.path.relpath(__file__, ROOT)] + argv),
              "recipe": {"batch": a.batch, "validation_fraction": VALIDATION_FRACTION, "optimizer": "Adam(betas=(0.9,0.999), eps=1e-7, fused)",
                         "schedule": "OneCycleLR(max_lr=3e-3, pct_start=0.25, anneal_strategy='cos', div_factor=25, final_div_factor=1e4, cycle_momentum=False), stepped every batch",
                         "budgets": BUDGETS, "seeds": a.seeds},
              **environment(a.tf32), "jobs": a.jobs}

    pending = list(specs)
    running = {}  # spec -> (Popen, stdout path, stderr path, start time)
    results, dropped = {}, {}

    def partial(spec, err_path):
        epochs = []
        try:
            with open(err_path) as f:
                for line in f:
                    if line.startswith("EPOCH "):
                        epochs.append(json.loads(line[6:]))
        except OSError:
            pass
        return epochs

    def write():
        runs = []
        for spec in specs:
            if spec in results:
                runs.append(results[spec])
        for spec, why in dropped.items():
            runs.append(why)
        doc = dict(header)
        doc["driver_wall_s"] = time.time() - t_start
        doc["runs"] = runs
        doc["incomplete"] = [f"{s[0]} {s[1]} epochs seed {s[2]}" for s in specs if s not in results]
        tmp = a.out + ".tmp"
        with open(tmp, "w") as f:
            json.dump(doc, f, indent=1)
        os.replace(tmp, a.out)

    def stop(spec, reason):
        proc, _, err_path, st = running.pop(spec)
        proc.kill()
        proc.wait()
        eps = partial(spec, err_path)
        dropped[spec] = {"network": NETWORK_NAMES[spec[0]], "model": spec[0], "epochs": spec[1], "seed": spec[2],
                         "complete": False, "reason": reason, "epochs_done": len(eps),
                         "train_loss": [e["train_loss"] for e in eps], "val_accuracy": [e["val_accuracy"] for e in eps],
                         "epoch_s": [e["seconds"] for e in eps], "wall_s": time.time() - st}
        log(f"[driver] stopped {spec}: {reason} after {len(eps)} epochs")

    dropped_doubled = False
    while pending or running:
        while pending and len(running) < a.jobs:
            spec = pending.pop(0)
            tag = f"{spec[0]}_e{spec[1]}_s{spec[2]}"
            out_path, err_path = os.path.join(logdir, tag + ".out"), os.path.join(logdir, tag + ".err")
            cmd = [sys.executable, os.path.abspath(__file__), "--model", spec[0], "--epochs", str(spec[1]),
                   "--seed", str(spec[2]), "--batch", str(a.batch), "--data-dir", a.data_dir, "--threads", "1"]
            if a.check_sums:
                cmd += ["--check-sums", a.check_sums]
            if a.limit:
                cmd += ["--limit", str(a.limit)]
            if a.test_limit:
                cmd += ["--test-limit", str(a.test_limit)]
            if a.tf32:
                cmd += ["--tf32"]
            proc = subprocess.Popen(cmd, stdout=open(out_path, "w"), stderr=open(err_path, "w"))
            running[spec] = (proc, out_path, err_path, time.time())
            log(f"[driver] t={time.time() - t_start:.0f}s started {tag}")
        time.sleep(1.0)
        now = time.time()
        for spec in list(running):
            proc, out_path, err_path, st = running[spec]
            if proc.poll() is None:
                continue
            del running[spec]
            lines = [ln for ln in open(out_path).read().splitlines() if ln.startswith("{")]
            if proc.returncode == 0 and lines:
                results[spec] = json.loads(lines[-1])
                r = results[spec]
                log(f"[driver] t={now - t_start:.0f}s done {spec}: best epoch {r['best_epoch']} val {r['best_val_accuracy']:.4f} "
                    f"test {r['test_accuracy']:.4f} wall {r['wall_s']:.0f}s")
            else:
                err_tail = open(err_path).read()[-3000:]
                dropped[spec] = {"network": NETWORK_NAMES[spec[0]], "model": spec[0], "epochs": spec[1], "seed": spec[2],
                                 "complete": False, "reason": f"exit code {proc.returncode}", "stderr_tail": err_tail}
                log(f"[driver] FAILED {spec} rc={proc.returncode}:\n{err_tail}")
            write()
        elapsed = now - t_start
        # Projected finish of every running run from its epochs so far; if the doubled ResNet-50
        # budget would push past the deadline, drop it first (as the brief says).
        if a.deadline and not dropped_doubled and elapsed > 30:
            worst = 0.0
            for spec, (_, _, err_path, st) in running.items():
                eps = partial(spec, err_path)
                if eps:  # the latest epoch's time for each epoch still to go
                    worst = max(worst, elapsed + eps[-1]["seconds"] * (spec[1] - len(eps)))
            if worst > a.deadline * a.drop_margin:
                for spec in drop_first:
                    if spec in running:
                        stop(spec, f"dropped at t={elapsed:.0f}s: projected finish {worst:.0f}s past the {a.deadline}s deadline")
                    elif spec in pending:
                        pending.remove(spec)
                        dropped[spec] = {"network": NETWORK_NAMES[spec[0]], "model": spec[0], "epochs": spec[1],
                                         "seed": spec[2], "complete": False, "reason": "dropped before start"}
                dropped_doubled = True
                write()
        if a.deadline and elapsed > a.deadline:
            for spec in list(running):
                stop(spec, f"deadline {a.deadline}s reached")
            for spec in pending:
                dropped[spec] = {"network": NETWORK_NAMES[spec[0]], "model": spec[0], "epochs": spec[1], "seed": spec[2],
                                 "complete": False, "reason": "deadline reached before start"}
            pending = []
            write()
    write()
    summary(a.out)


def summary(path):
    """Per network and budget: mean ± sd of best validation accuracy and test accuracy."""
    import statistics as st
    with open(path) as f:
        doc = json.load(f)
    groups = {}
    for r in doc["runs"]:
        if r.get("complete"):
            groups.setdefault((r["model"], r["epochs"]), []).append(r)
    log("network   epochs  n  val% mean±sd      test% mean±sd")
    for (m, e), rs in sorted(groups.items(), key=lambda kv: (list(BUDGETS).index(kv[0][0]), kv[0][1])):
        v = [100 * r["best_val_accuracy"] for r in rs]
        t = [100 * r["test_accuracy"] for r in rs]
        sd = lambda xs: st.stdev(xs) if len(xs) > 1 else float("nan")
        log(f"{NETWORK_NAMES[m]:9s} {e:6d} {len(rs):2d}  {st.mean(v):.3f}±{sd(v):.3f}  {st.mean(t):.3f}±{sd(t):.3f}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", choices=sorted(BUDGETS))
    p.add_argument("--epochs", type=int)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--all", action="store_true", help="run every network at its budget and twice it, for --seeds")
    p.add_argument("--models", nargs="+", choices=sorted(BUDGETS), default=list(BUDGETS), help="with --all")
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="with --all")
    p.add_argument("--jobs", type=int, default=1, help="with --all: runs at a time, each its own process")
    p.add_argument("--deadline", type=float, default=0, help="with --all: seconds after which unfinished runs are stopped")
    p.add_argument("--drop-margin", type=float, default=1.0,
                   help="with --all and --deadline: drop the doubled ResNet-50 budget when the projected finish passes this share of the deadline")
    p.add_argument("--out", help="with --all: the JSON file to write")
    p.add_argument("--log-dir", help="with --all: where each run's stdout/stderr go (default /tmp/...)")
    p.add_argument("--batch", type=int, default=BATCH)
    p.add_argument("--data-dir", default=DEFAULT_DATA_DIR, help="IDX files, plain or .gz (default data/mnist)")
    p.add_argument("--check-sums", help="sha256sum-format file to check the uncompressed IDX bytes against")
    p.add_argument("--limit", type=int, help="use only the first N training images (smoke tests)")
    p.add_argument("--test-limit", type=int, help="use only the first N test images (smoke tests)")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--device", default="auto")
    p.add_argument("--tf32", action="store_true", help="allow TF32 in matmuls and convolutions (default: off)")
    a = p.parse_args()
    if a.all:
        if not a.out or a.jobs < 1:
            p.error("--all needs --out and a positive --jobs")
        run_all(a, sys.argv[1:])
    else:
        if not a.model or not a.epochs or a.epochs < 1:
            p.error("one run needs --model and a positive --epochs")
        train_one(a)


if __name__ == "__main__":
    main()
