"""A non-editable install is complete: the wheel carries saved_models/ and finds it.

In a fresh virtualenv with the wheel installed (tests/installed.py) and from a folder outside
the source tree: the shipped classifier loads from the install, and every pretrained model of
saved_models/ answers `keras-gans sample` and `keras-gans evaluate` by name, measuring what
its metadata.json says (the tutorials run there too: tests/test_tutorials.py).
"""

import json
from pathlib import Path

import pytest

from installed import REPO

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

#: one process for every entry: each `keras-gans` command through the CLI's own entry point
SAMPLE_AND_EVALUATE = """
import json, sys
from pathlib import Path
from keras_gans import cli
from keras_gans.training import resolve_run_dir
names = {names!r}
report = {{}}
for name in names:
    out = Path(name + ".png")
    assert cli.main(["sample", name, "--n", "16", "--out", str(out)]) == 0, name
    assert out.stat().st_size > 1000, name
    metrics_file = Path(name + ".json")
    assert cli.main(["evaluate", name, "--out", str(metrics_file)]) == 0, name
    report[name] = {{"metrics": json.loads(metrics_file.read_text()), "from": str(resolve_run_dir(name))}}
print("REPORT" + json.dumps(report))
"""


def pretrained_names():
    """The saved_models/ entries that are pretrained generative models (not the classifiers)."""
    return sorted(path.parent.name for path in (REPO / "saved_models").glob("*/metadata.json")
                  if "model" in json.loads(path.read_text()))


def test_a_wheel_installed_elsewhere_finds_the_shipped_classifier(installed_package):
    result = installed_package.run(CHECK)
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert Path(found["package"]).resolve().is_relative_to(installed_package.environment), found
    assert Path(found["classifier"]).resolve().is_relative_to(installed_package.environment), found
    assert found["shape"] == [2, 10]


def test_every_pretrained_model_samples_and_evaluates_from_the_install_as_its_metadata_says(installed_package):
    names = pretrained_names()
    if not names:
        pytest.fail("saved_models/ holds no pretrained model: run python scripts/make_pretrained.py")
    result = installed_package.run(SAMPLE_AND_EVALUATE.format(names=names))
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    report = json.loads(result.stdout.split("REPORT", 1)[1])
    for name in names:
        assert Path(report[name]["from"]).resolve().is_relative_to(installed_package.environment), report[name]
        recorded = json.loads((REPO / "saved_models" / name / "metadata.json").read_text())["metrics"]
        measured = report[name]["metrics"]
        assert measured.keys() == recorded.keys(), name
        for key, value in recorded.items():
            if isinstance(value, float):
                assert measured[key] == pytest.approx(value, rel=1e-3, abs=1e-3), (name, key)
            else:
                assert measured[key] == value, (name, key)
