"""Peak memory (RSS) of reading an image folder for training, against its size: the folder
streams from its files (`ImageFiles`), so the peak must not grow with the folder.

    python benchmarks/streaming_memory.py                 # folders of 1,000 and 20,000 images
    python benchmarks/streaming_memory.py --sizes 1000 5000

Writes N random 64x64 RGB PNGs (two class subfolders) per size, then in a fresh process per
measurement: loads the folder with `load_dataset`, builds the training pipeline
(`make_pipeline`, batch 64, shuffled) and reads one whole epoch, and prints the process's peak
RSS and the epoch's seconds. For contrast, the same with the pixels loaded into memory first
(`np.asarray(data.x)`, what loading a folder did before streaming).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

MEASURE = r"""
import resource, sys, time, dataclasses
import numpy as np
from keras_gans.data import load_dataset, make_pipeline
folder, mode = sys.argv[1], sys.argv[2]
start = time.perf_counter()
data = load_dataset(folder, image_size=64)
if mode == "in_memory":
    data = dataclasses.replace(data, x=np.asarray(data.x))
loaded = time.perf_counter()
batches = 0
for x, y in make_pipeline(data, 64, with_labels=True, seed=0):
    batches += 1
end = time.perf_counter()
print(f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} {loaded - start:.1f} {end - loaded:.1f} {batches}")
"""


def write_folder(root, count):
    from PIL import Image

    rng = np.random.default_rng(count)
    for index in range(count):
        folder = root / ("a" if index % 2 else "b")
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)).save(folder / f"{index:06d}.png")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 20000])
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="streaming-bench-"))
    print("| images | read as | peak RSS (MiB) | load s | epoch s | batches |")
    print("|---:|---|---:|---:|---:|---:|")
    for count in options.sizes:
        folder = work / f"images-{count}"
        started = time.perf_counter()
        write_folder(folder, count)
        print(f"<!-- wrote {count} PNGs in {time.perf_counter() - started:.0f} s -->", file=sys.stderr)
        for mode in ("streamed", "in_memory"):
            out = subprocess.run([sys.executable, "-c", MEASURE, str(folder), mode], capture_output=True,
                                 text=True, check=True).stdout.split()
            rss, load_s, epoch_s, batches = out[-4:]
            print(f"| {count:,} | {mode.replace('_', ' ')} | {rss} | {load_s} | {epoch_s} | {batches} |", flush=True)
    print(f"folders kept in {work}", file=sys.stderr)


if __name__ == "__main__":
    main()
