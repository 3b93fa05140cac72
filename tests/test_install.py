"""A non-editable install is complete: the wheel carries saved_models/ and finds it.

In a fresh virtualenv with the wheel installed (tests/installed.py) and from a folder outside
the source tree: the shipped classifier loads from the install, and every pretrained model of
saved_models/ answers `keras-gans evaluate` by name, measuring what
its metadata.json says, and answers the command its model card shows (`sample`, `recommend` or
`translate`; the tutorials run there too: tests/test_tutorials.py).
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

#: one process for every entry: each entry's own `try` command (metadata.json: sample,
#: recommend or translate) and `evaluate`, through the CLI's entry point
TRY_AND_EVALUATE = """
import json, shlex
from pathlib import Path
import numpy as np
from keras_gans import cli
from keras_gans.data import load_dataset
from keras_gans.training import resolve_run_dir
np.save("digits.npy", load_dataset("mnist_test").x[:8])  # the input of the translation entries
entries = {entries!r}
report = {{}}
for name, command in entries.items():
    words = shlex.split(command)
    assert words[0] == "keras-gans" and cli.main(words[1:]) == 0, command
    output = Path(words[words.index("--out") + 1])
    assert output.stat().st_size > 100, command
    metrics_file = Path(name + ".json")
    assert cli.main(["evaluate", name, "--out", str(metrics_file)]) == 0, name
    report[name] = {{"metrics": json.loads(metrics_file.read_text()), "from": str(resolve_run_dir(name))}}
print("REPORT" + json.dumps(report))
"""


def pretrained_entries():
    """{name: its `try` command} of the saved_models/ entries that are pretrained models (not
    the classifiers)."""
    entries = {}
    for path in sorted((REPO / "saved_models").glob("*/metadata.json")):
        metadata = json.loads(path.read_text())
        if "model" in metadata:
            entries[path.parent.name] = metadata["try"]
    return entries


def test_a_wheel_installed_elsewhere_finds_the_shipped_classifier(installed_package):
    result = installed_package.run(CHECK)
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert Path(found["package"]).resolve().is_relative_to(installed_package.environment), found
    assert Path(found["classifier"]).resolve().is_relative_to(installed_package.environment), found
    assert found["shape"] == [2, 10]


@pytest.mark.slow
def test_every_pretrained_model_answers_and_evaluates_from_the_install_as_its_metadata_says(installed_package):
    entries = pretrained_entries()
    if not entries:
        pytest.fail("saved_models/ holds no pretrained model: run python scripts/make_pretrained.py")
    names = sorted(entries)
    result = installed_package.run(TRY_AND_EVALUATE.format(entries=entries))
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
