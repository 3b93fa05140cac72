"""Where the shipped models live: `saved_models/NAME` of the repository, or of the wheel.

A source checkout (and an editable install) reads the repository's top-level
`saved_models/`; a built package carries a copy as `keras_gans/saved_models/` (setup.py
puts it there), found with importlib.resources, so a non-editable `pip install .` finds
the classifier and pretrained models without the repository.
"""

from importlib import resources
from pathlib import Path

__all__ = ["saved_model_dir", "saved_model_roots"]


def saved_model_roots():
    """The folders searched for shipped models, in order: the installed package's copy, then
    the repository's `saved_models/` (present in a source checkout)."""
    packaged = resources.files("keras_gans") / "saved_models"
    return [Path(str(packaged)), Path(__file__).resolve().parents[1] / "saved_models"]


def saved_model_dir(name):
    """The directory of the shipped model `name` (e.g. "mnist_classifier").

    Raises:
        FileNotFoundError: naming every folder searched and how to create the model.
    """
    for root in saved_model_roots():
        if (root / name).is_dir():
            return root / name
    searched = ", ".join(str(root) for root in saved_model_roots())
    raise FileNotFoundError(
        f"No shipped model {name!r} (searched {searched}). Reinstall keras-gans from a "
        "checkout that has saved_models/, or create it with the script in scripts/."
    )
