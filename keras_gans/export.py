"""Export a model's serving endpoints as a versioned SavedModel for TF Serving.

Layout: DIR/VERSION/ (saved_model.pb, variables/), the layout TF Serving watches. Each
endpoint of `model.serving_endpoints()` becomes a named signature with named inputs and a
dict of named outputs, e.g. `serving_default(z) -> {"samples"}` and
`sample(count, seed) -> {"samples"}`.
"""

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


def export_model(model, export_dir, version=None):
    """Write `model`'s serving signatures to `export_dir/version` and return that path.

    The SavedModel is written to a temporary directory first and renamed into place, so a
    failed export leaves nothing behind and TF Serving never sees a half-written version.
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

    archive = keras.export.ExportArchive()
    archive.track(model)
    for name, (fn, input_signature) in endpoints.items():
        archive.add_endpoint(name=name, fn=fn, input_signature=input_signature)

    staging = Path(tempfile.mkdtemp(prefix=f".export-{version}-", dir=export_dir))
    try:
        archive.write_out(str(staging / "model"), verbose=False)
        os.replace(staging / "model", target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
