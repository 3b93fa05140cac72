"""Export a model's serving endpoints as a versioned SavedModel for TF Serving.

Layout: DIR/VERSION/ (saved_model.pb, variables/), the layout TF Serving watches. Each
endpoint of `model.serving_endpoints()` becomes a named signature with named inputs and a
dict of named outputs, e.g. `serving_default(z) -> {"samples"}` and
`sample(count, seed) -> {"samples"}`.
"""

import json
import os
import shutil
import tempfile
from pathlib import Path

import keras


def next_version(export_dir):
    """1 for an empty/new directory, else one more than the highest numeric version."""
    export_dir = Path(export_dir)
    versions = [int(p.name) for p in export_dir.glob("*") if p.is_dir() and p.name.isdigit()]
    return max(versions, default=0) + 1


def export_model(model, export_dir, version=None, run_config=None):
    """Write `model`'s serving signatures to `export_dir/version` and return that path.

    The SavedModel is written to a temporary directory first and renamed into place, so a
    failed export leaves nothing behind and TF Serving never sees a half-written version.
    `assets.extra/` (which TF Serving ignores) carries `keras_gans.json` (the model's registry
    name, config and signatures) and, given `run_config` (a path or dict, e.g. the run's
    config.json), `config.json`: what was trained, how, and its final metrics.
    """
    endpoints = model.serving_endpoints()
    if not endpoints:
        raise ValueError(f"{type(model).__name__} declares no serving endpoints to export.")
    export_dir = Path(export_dir)
    version = int(version or next_version(export_dir))
    target = export_dir / str(version)
    if target.exists():
        raise FileExistsError(f"{target} already exists; choose another version.")
    export_dir.mkdir(parents=True, exist_ok=True)

    # No archive.track(model): add_endpoint tracks the variables each endpoint reads, once.
    # Tracking the whole model as well saved every variable a second time (a generator's
    # kernels twice, plus the discriminator's, which no signature reads).
    archive = keras.export.ExportArchive()
    for name, (fn, input_signature) in endpoints.items():
        archive.add_endpoint(name=name, fn=fn, input_signature=input_signature)

    staging = Path(tempfile.mkdtemp(prefix=f".export-{version}-", dir=export_dir))
    try:
        archive.write_out(str(staging / "model"), verbose=False)
        _write_metadata(staging / "model" / "assets.extra", model, endpoints, run_config)
        os.replace(staging / "model", target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _write_metadata(directory, model, endpoints, run_config):
    import keras_gans

    directory.mkdir(parents=True, exist_ok=True)
    signatures = {name: {spec.name: {"dtype": spec.dtype.name, "shape": [d for d in spec.shape]}
                         for spec in specs} for name, (_, specs) in endpoints.items()}
    metadata = {"model": getattr(model, "registry_name", type(model).__name__),
                "keras_gans": keras_gans.__version__, "signatures": signatures,
                "config": model.get_config()}
    (directory / "keras_gans.json").write_text(json.dumps(metadata, indent=1, default=str))
    if run_config is not None:
        if not isinstance(run_config, dict):
            run_config = json.loads(Path(run_config).read_text())
        (directory / "config.json").write_text(json.dumps(run_config, indent=1, default=str))
