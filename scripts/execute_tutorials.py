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
import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
TUTORIALS = REPO / "tutorials"


#: TensorFlow's native start-up lines (absl and C++ logs), printed on stderr when a notebook
#: imports tensorflow itself; TF_CPP_MIN_LOG_LEVEL does not reach all of them
NATIVE_LOG = re.compile(r"^(WARNING: All log messages before absl::InitializeLog\(\) is called|"
                        r"[IWE]\d{4} [\d:. ]+\d+ \S+:\d+\]|To enable the following instructions:)")


def drop_native_logs(notebook):
    """Remove TensorFlow's native log lines from the notebook's stderr outputs (in place)."""
    for cell in notebook.cells:
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                lines = [line for line in output["text"].splitlines(keepends=True) if not NATIVE_LOG.match(line)]
                if not "".join(lines).strip():
                    continue
                output["text"] = "".join(lines)
            kept.append(output)
        if cell.cell_type == "code":
            cell.outputs = kept


def save(notebook, path):
    tmp = path.with_name(f".{path.name}.tmp")
    nbformat.write(notebook, tmp)
    tmp.replace(path)


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
    drop_native_logs(notebook)
    save(notebook, path)
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="notebook name prefixes (default: all)")
    parser.add_argument("--quick", action="store_true", help="tiny budgets (KERAS_GANS_TUTORIAL_QUICK=1)")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds allowed per cell")
    parser.add_argument("--clean-only", action="store_true",
                        help="only drop TensorFlow's native log lines from the saved outputs")
    args = parser.parse_args()
    paths = sorted(p for p in TUTORIALS.glob("*.ipynb")
                   if not args.prefixes or any(p.name.startswith(prefix) for prefix in args.prefixes))
    if not paths:
        parser.error(f"no notebook in {TUTORIALS} starts with {' or '.join(args.prefixes)}")
    for path in paths:
        if args.clean_only:
            notebook = nbformat.read(path, as_version=4)
            drop_native_logs(notebook)
            save(notebook, path)
            continue
        seconds = execute(path, args.quick, args.timeout)
        print(f"{path.name}: executed in {'quick' if args.quick else 'full'} mode in {seconds:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
