"""Run tutorial notebooks top to bottom with their full budgets and save them with outputs.

    python scripts/execute_tutorials.py                   # every notebook in tutorials/
    python scripts/execute_tutorials.py 01 06             # the ones whose names start so
    python scripts/execute_tutorials.py 03 --quick        # tiny budgets (what the suite runs)

The committed notebooks carry the outputs of this script (the notebook's metadata
`keras_gans_execution` records the mode, the seconds and the date); the test suite re-executes
each one in quick mode. Each
notebook runs in a temporary working folder, so its runs and exports do not land in the
checkout, and is written back only when every cell succeeded (atomically).
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
TUTORIALS = REPO / "tutorials"


def execute(path, quick, timeout):
    notebook = nbformat.read(path, as_version=4)
    os.environ["KERAS_GANS_TUTORIAL_QUICK"] = "1" if quick else "0"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tutorial-") as workdir:
        NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": workdir}}).execute()
    seconds = time.perf_counter() - start
    notebook.metadata["keras_gans_execution"] = {"mode": "quick" if quick else "full",
                                                 "seconds": round(seconds), "date": time.strftime("%Y-%m-%d")}
    tmp = path.with_name(f".{path.name}.tmp")
    nbformat.write(notebook, tmp)
    tmp.replace(path)
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="notebook name prefixes (default: all)")
    parser.add_argument("--quick", action="store_true", help="tiny budgets (KERAS_GANS_TUTORIAL_QUICK=1)")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds allowed per cell")
    args = parser.parse_args()
    paths = sorted(p for p in TUTORIALS.glob("*.ipynb")
                   if not args.prefixes or any(p.name.startswith(prefix) for prefix in args.prefixes))
    if not paths:
        parser.error(f"no notebook in {TUTORIALS} starts with {' or '.join(args.prefixes)}")
    for path in paths:
        seconds = execute(path, args.quick, args.timeout)
        print(f"{path.name}: executed in {'quick' if args.quick else 'full'} mode in {seconds:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
