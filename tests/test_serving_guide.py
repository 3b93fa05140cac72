"""docs/serving.md cannot drift from the export: each request body it shows, decoded by TF
Serving's REST rules, is fed to the exported signature in a fresh process."""

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import tensorflow as tf

import keras_gans
from keras_gans.export import export_model
from tests.test_cli import ENV

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "serving.md"
REQUEST = re.compile(r"<!-- request: (\w+) (\w+) -->\s*```json\n(.*?)```", re.S)


def guide_requests():
    return [(model, signature, json.loads(body)) for model, signature, body in REQUEST.findall(GUIDE.read_text())]


def tiny_models():
    """Untrained models with the signatures and input shapes of the guide's trained ones."""
    return {
        "gan": keras_gans.GAN(data_shape=(2,), latent_dim=2, hidden_units=(8,)),
        "dcgan": keras_gans.DCGAN(data_shape=(28, 28, 1), base_filters=4, clusters=0),
        "cgan": keras_gans.CGAN(data_shape=(28, 28, 1), num_classes=10, base_filters=4),
        "vae": keras_gans.VAE(data_shape=(28, 28, 1), latent_dim=16, base_filters=4),
        "irgan": keras_gans.IRGAN(num_users=3, num_items=8),
    }


#: TF Serving's REST decoding (https://www.tensorflow.org/tfx/serving/api_rest), run in the
#: fresh process: row format stacks instances along axis 0, columnar takes inputs whole.
SERVE = r'''
import json, sys
import numpy as np
import tensorflow as tf

def decode(body, signature):
    specs = signature.structured_input_signature[1]
    if "instances" in body:
        rows = body["instances"]
        named = rows and isinstance(rows[0], dict)
        columns = {name: [row[name] for row in rows] for name in specs} if named else {next(iter(specs)): rows}
    else:
        columns = body["inputs"] if isinstance(body["inputs"], dict) else {next(iter(specs)): body["inputs"]}
    return {name: tf.constant(np.asarray(value), specs[name].dtype) for name, value in columns.items()}

shapes = {}
for export_dir, model, name, body in json.load(open(sys.argv[1])):
    loaded = tf.saved_model.load(export_dir)
    signature = loaded.signatures[body.get("signature_name", "serving_default")]
    outputs = signature(**decode(body, signature))
    shapes[f"{model} {name}"] = {key: list(value.shape) for key, value in outputs.items()}
print(json.dumps(shapes))
'''


def test_the_guide_shows_a_request_for_each_kind_of_signature():
    shown = {(model, signature) for model, signature, _ in guide_requests()}
    assert shown == {("gan", "serving_default"), ("dcgan", "sample"), ("cgan", "sample"), ("vae", "decode"),
                     ("irgan", "recommend")}
    for model, signature, body in guide_requests():
        assert body.get("signature_name", "serving_default") == signature
        assert ("inputs" in body) != ("instances" in body)


def test_every_request_of_the_guide_is_answered_by_the_exported_signature(tmp_path):
    models = tiny_models()
    jobs = []
    for model_name, signature, body in guide_requests():
        export_dir = tmp_path / model_name
        if not export_dir.exists():
            export_model(models[model_name], export_dir)
        jobs.append([str(export_dir / "1"), model_name, signature, body])
    (tmp_path / "jobs.json").write_text(json.dumps(jobs))
    done = subprocess.run([sys.executable, "-c", SERVE, str(tmp_path / "jobs.json")], capture_output=True,
                          text=True, env=ENV, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    shapes = json.loads(done.stdout.strip().splitlines()[-1])
    assert shapes["gan serving_default"] == {"samples": [3, 2]}
    assert shapes["dcgan sample"] == {"samples": [4, 28, 28, 1]}
    assert shapes["cgan sample"] == {"samples": [3, 28, 28, 1]}
    assert shapes["vae decode"] == {"images": [1, 28, 28, 1]}
    assert shapes["irgan recommend"] == {"items": [2, 5], "scores": [2, 5]}

    # section 5's command, on the same export
    command = re.search(r"saved_model_cli run .*?'count=4;seed=7'", GUIDE.read_text(), re.S).group(0)
    argv = command.replace("\\\n", " ").replace("exported/dcgan/1", str(tmp_path / "dcgan" / "1")).split()
    argv = [arg.strip("'") for arg in argv]
    cli = subprocess.run(argv, capture_output=True, text=True, env=ENV, timeout=300)
    assert cli.returncode == 0, cli.stderr[-2000:]
    assert "Result for output key samples" in cli.stdout


def test_export_carries_the_models_metadata_and_the_runs_config(tmp_path):
    model = keras_gans.IRGAN(num_users=3, num_items=8)
    path = export_model(model, tmp_path / "export", run_config={"model": "irgan", "final_metrics": {"x": 1.0}})
    metadata = json.loads((path / "assets.extra" / "keras_gans.json").read_text())
    assert metadata["model"] == "irgan"
    assert metadata["signatures"]["recommend"]["k"] == {"dtype": "int32", "shape": []}
    assert metadata["config"]["num_items"] == 8
    assert json.loads((path / "assets.extra" / "config.json").read_text())["final_metrics"] == {"x": 1.0}


def test_export_holds_each_variable_its_signatures_read_once_and_no_other(tmp_path):
    # A GAN's signatures read the generator only: the SavedModel stores its variables once,
    # not the discriminator's, and not a second copy (tracking the whole model did both).
    model = keras_gans.InfoGAN(data_shape=(8, 8, 1), noise_dim=3, base_filters=4, dense_units=8, seed=0)
    path = export_model(model, tmp_path / "export")
    reader = tf.train.load_checkpoint(str(path / "variables" / "variables"))
    stored = sum(int(np.prod(shape)) for name, shape in reader.get_variable_to_shape_map().items()
                 if name.endswith("VARIABLE_VALUE"))
    generator = sum(int(np.prod(v.shape)) for v in model.generator.weights)
    assert stored == generator, (stored, generator)
