"""All metadata lives in setup.cfg; this file only ships `saved_models/` inside the wheel.

`saved_models/` stays at the top of the repository (one copy, where users look for it); a
built package carries it as `keras_gans/saved_models/`, found with importlib.resources
(`keras_gans.shipped.saved_model_dir`), so a non-editable `pip install .` has the
classifier and the pretrained models too.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SAVED_MODELS = Path(__file__).resolve().parent / "saved_models"


class BuildPyWithSavedModels(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "keras_gans" / "saved_models"
        if SAVED_MODELS.is_dir() and not getattr(self, "editable_mode", False):
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(SAVED_MODELS, target, ignore=shutil.ignore_patterns("__pycache__"))


setup(cmdclass={"build_py": BuildPyWithSavedModels})
