"""A non-editable install in a fresh virtualenv, as a newcomer's `pip install .` makes it.

The wheel is built from the tracked files only (what a clean checkout holds; offline, no build
isolation) and installed into a virtualenv that borrows the already-installed dependencies
from this interpreter (`system_site_packages`), so nothing is downloaded. The venv's own
site-packages come first on its path, so `import keras_gans` there finds the wheel's copy, not
this checkout. A Jupyter kernel spec runs notebooks with the venv's Python.
"""

import dataclasses
import json
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
KERNEL_NAME = "keras-gans-installed"


@dataclasses.dataclass
class Installed:
    environment: Path  # the virtualenv
    python: Path  # its interpreter
    jupyter_path: Path  # JUPYTER_PATH that holds the kernel spec KERNEL_NAME
    elsewhere: Path  # a working folder outside the source tree

    def env(self, **extra):
        """Environment for a process of the venv: its bin/ first on PATH, quiet TensorFlow."""
        bin_dir = str(self.python.parent)
        return {"PATH": f"{bin_dir}:/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "3", "HOME": str(self.elsewhere),
                "MPLBACKEND": "Agg", **extra}

    def run(self, code, timeout=1800):
        """Run Python `code` with the venv's interpreter in `elsewhere`; the CompletedProcess."""
        return subprocess.run([str(self.python), "-c", code], cwd=self.elsewhere, capture_output=True,
                              text=True, env=self.env(), timeout=timeout)


def tracked_files():
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs a git checkout to know which files a release holds")
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True)
    return [name for name in listing.stdout.decode().split("\0") if name]


def install_fresh(root):
    """Build the wheel from the tracked files under `root` and install it into a new venv."""
    root = Path(root)
    source = root / "source"
    for name in tracked_files():
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    wheels = root / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(wheels), str(source)], check=True)
    (wheel,) = wheels.glob("keras_gans-*.whl")
    shutil.rmtree(source)  # nothing of the checkout stays reachable

    environment = root / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(environment)
    python = environment / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                    "--no-index", "-q", str(wheel)], check=True)

    jupyter_path = root / "jupyter"
    spec = jupyter_path / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "keras-gans (installed wheel)", "language": "python"}))
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    return Installed(environment.resolve(), python, jupyter_path, elsewhere)
