"""A non-editable install is complete: the wheel carries saved_models/ and finds it.

Builds the wheel from the tracked files (offline, no build isolation), installs it into a
fresh virtualenv that borrows the already-installed dependencies, and, from a folder outside
the source tree, loads the shipped MNIST classifier and checks it came from the install.
"""

import json
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

CHECK = """
import json
import numpy as np
import keras_gans
from keras_gans.metrics import default_classifier_path, load_mnist_classifier
path = default_classifier_path()
clf = load_mnist_classifier()
logits = clf.predict(np.zeros((2, 28, 28, 1), np.float32), verbose=0)
print(json.dumps({"package": keras_gans.__file__, "classifier": str(path), "shape": list(logits.shape)}))
"""


def tracked_files():
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs a git checkout to know which files a release holds")
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True)
    return [name for name in listing.stdout.decode().split("\0") if name]


def test_a_wheel_installed_elsewhere_finds_the_shipped_classifier(tmp_path):
    source = tmp_path / "source"
    for name in tracked_files():
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(wheels), str(source)], check=True)
    (wheel,) = wheels.glob("keras_gans-*.whl")

    environment = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(environment)
    python = environment / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                    "--no-index", "-q", str(wheel)], check=True)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run([str(python), "-c", CHECK], cwd=elsewhere, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    installed = environment.resolve()
    assert Path(found["package"]).resolve().is_relative_to(installed), found
    assert Path(found["classifier"]).resolve().is_relative_to(installed), found
    assert found["shape"] == [2, 10]

