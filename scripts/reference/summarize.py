"""compare.sh's summary of a sitting (its JSON lines, one per run), or which workloads still
lack runs in the sitting's usual placement.

    python summarize.py RUNS.jsonl               # the table compare.sh prints
    python summarize.py RUNS.jsonl --lacking N   # workloads where a framework has < N usual runs

A run is in the usual placement when both of its core round-trip readings (`round_trip_ns`,
taken by compare.sh before and after it) are under twice the fastest reading of the sitting:
on the development VM the two vCPUs now and then run far apart, with round trips about six
times longer, and every framework's parallel steps slow down then.
"""
import json
import statistics
import sys

# A reading above this many times the sitting's fastest is another placement.
FAR_FACTOR = 2


def load(path):
    return [json.loads(line) for line in open(path) if line.strip()]


def workload_key(row):
    """The compare.sh workload a run belongs to: mlp, lenet, resnet18 or resnet50."""
    return "mlp" if row["workload"].startswith("mlp") else row["workload"].split("-")[0]


def group(rows):
    runs = {}
    for row in rows:
        runs.setdefault(workload_key(row), {}).setdefault(row["label"], []).append(row)
    return runs


def fastest_reading(rows):
    readings = [ns for row in rows for ns in row.get("round_trip_ns", []) if ns is not None]
    return min(readings) if readings else None


def in_usual_placement(row, fastest):
    values = [ns for ns in row.get("round_trip_ns", []) if ns is not None]
    return fastest is not None and bool(values) and max(values) <= FAR_FACTOR * fastest


def lacking(rows, wanted):
    """Workloads in which some framework has fewer than `wanted` runs in the usual placement."""
    fastest = fastest_reading(rows)
    return [key for key, frameworks in group(rows).items()
            if any(sum(in_usual_placement(run, fastest) for run in framework_runs) < wanted
                   for framework_runs in frameworks.values())]


def spread(values):
    return statistics.median(values), min(values), max(values)


def print_table(rows):
    runs = group(rows)
    fastest = fastest_reading(rows)

    def usual(row):
        return in_usual_placement(row, fastest)

    if fastest is not None:
        far = sum(not usual(row) for row in rows)
        print(f"core round trip: fastest {fastest:.0f} ns; {far} of {len(rows)} runs had a reading above {FAR_FACTOR * fastest:.0f} ns "
              f"(another placement): the 'usual' columns leave them out")
    print(f"{'workload':9} {'framework':12} {'n':>2} {'s/epoch median (min-max)':>28} {'img/s':>9} {'accuracy':>9} {'vs PyTorch':>11} "
          f"{'fraction of peak':>22} {'usual n':>7} {'usual s/epoch':>13} {'usual vs PyTorch':>16}")
    for key, frameworks in runs.items():
        reference = frameworks.get("pytorch")
        reference_median = spread([r["s_per_epoch"] for r in reference])[0] if reference else None
        reference_usual = [r["s_per_epoch"] for r in reference if usual(r)] if reference else []
        for label, framework_runs in frameworks.items():
            usual_times = [r["s_per_epoch"] for r in framework_runs if usual(r)]
            usual_median = statistics.median(usual_times) if usual_times else None
            usual_speedup = (f"{statistics.median(reference_usual) / usual_median:.2f}x"
                             if usual_median is not None and reference_usual else "")
            median, low, high = spread([r["s_per_epoch"] for r in framework_runs])
            images = spread([r["train_images_per_s"] for r in framework_runs])[0] if all("train_images_per_s" in r for r in framework_runs) else None
            accuracy = framework_runs[0].get("test_accuracy")
            # How many times faster than PyTorch (medians of the interleaved repeats); PyTorch's row is 1.00x.
            speedup = "" if reference_median is None else f"{reference_median / median:.2f}x"
            fraction = ""
            if label.startswith("labbook") and all("efficiency" in r for r in framework_runs):
                f = spread([r["efficiency"]["fraction_of_peak"] for r in framework_runs])
                p = statistics.median([r["efficiency"]["peak_gflops"] for r in framework_runs])
                fraction = f"{f[0]:.2f} ({f[1]:.2f}-{f[2]:.2f}) of {p:.0f}"
            print(f"{key:9} {label:12} {len(framework_runs):>2} {f'{median:.3f} ({low:.3f}-{high:.3f})':>28} "
                  f"{'' if images is None else round(images, 1)!s:>9} {'' if accuracy is None else format(accuracy, '.4f'):>9} "
                  f"{speedup:>11} {fraction:>22} {len(usual_times):>7} {'' if usual_median is None else format(usual_median, '.3f'):>13} "
                  f"{usual_speedup:>16}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[2] == "--lacking":
        print(" ".join(lacking(load(sys.argv[1]), int(sys.argv[3]))))
    elif len(sys.argv) == 2:
        print_table(load(sys.argv[1]))
    else:
        sys.exit("usage: summarize.py RUNS.jsonl [--lacking N]")
