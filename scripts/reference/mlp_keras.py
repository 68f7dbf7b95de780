#!/usr/bin/env python3
"""Keras (TensorFlow backend) reference for `labbook bench mlp`: MLP 784-128-64-10 on Fashion-MNIST,
Adam, batch 32, `model.fit` with per-epoch shuffling.

Prints one JSON line on stdout; progress and TensorFlow's logs go to stderr.
"""
import os
import sys
import time

sys.dont_write_bytecode = True  # leave no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


def main():
    p = common.mlp_argument_parser(__doc__)
    a = p.parse_args()
    common.check_mlp_arguments(p, a)

    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np
    import tensorflow as tf

    # Must happen before TensorFlow runs any op.
    tf.config.threading.set_intra_op_parallelism_threads(a.threads)
    tf.config.threading.set_inter_op_parallelism_threads(a.threads)
    import keras

    keras.utils.set_random_seed(a.seed)

    train_x, train_y, test_x, test_y = common.load_fashion_mnist(a.data_dir)
    idx = common.labbook_train_indices(len(train_x), a.seed)
    if a.limit:
        idx = idx[:a.limit]
    xtr = train_x[idx].reshape(len(idx), 784).astype(np.float32) / 255.0
    ytr = train_y[idx].astype(np.int64)
    xte = test_x.reshape(len(test_x), 784).astype(np.float32) / 255.0
    yte = test_y.astype(np.int64)

    model = keras.Sequential([
        keras.Input(shape=(784,)),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3, beta_1=0.9, beta_2=0.999, epsilon=1e-7),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])

    class EpochTimer(keras.callbacks.Callback):
        """Wall time from epoch begin to epoch end: training only (fit gets no validation data)."""

        def __init__(self):
            super().__init__()
            self.each = []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.each.append(time.perf_counter() - self.start)
            common.log(f"epoch {epoch + 1}/{a.epochs}: {self.each[-1]:.3f} s, loss {logs.get('loss', float('nan')):.4f}")

    timer = EpochTimer()
    model.fit(xtr, ytr, batch_size=a.batch, epochs=a.epochs, shuffle=True, verbose=0, callbacks=[timer])
    _, accuracy = model.evaluate(xte, yte, batch_size=1000, verbose=0)

    common.emit({
        "workload": f"mlp-784-128-64-10-adam-batch{a.batch}", "framework": "keras",
        "version": f"keras {keras.__version__}, tensorflow {tf.__version__}", "backend": keras.backend.backend(),
        "dataset": "fashion-mnist", "train_samples": len(xtr), "threads": a.threads, "epochs": a.epochs,
        "s_per_epoch": sum(timer.each) / len(timer.each), "s_per_epoch_each": timer.each,
        "test_accuracy": float(accuracy), "peak_rss_mb": common.peak_rss_mb(), **common.machine_info(),
    })


if __name__ == "__main__":
    main()
