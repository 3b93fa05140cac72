"""Every tutorial notebook runs top to bottom (with tiny budgets) without an error."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

TUTORIALS = sorted((Path(__file__).resolve().parents[1] / "tutorials").glob("*.ipynb"))

#: notebook name -> strings its outputs must contain (each notebook needs an entry)
EXPECTED_OUTPUT = {
    "01_dcgan_mnist.ipynb": ["cluster shares:", "same samples after reload: True", "served == keras: True"],
    "02_loss_families.ipynb": [
        "quick mode | ring8 recipes: gan, wgan_gp, least_squares_gan, began, f_gan:kl",
        "gradient penalty 16.000000   (||w|| - 1)^2 = 16.000000",
        "gradient penalty 0.000000   (||w|| - 1)^2 = 0.000000",
        "recipe                  steps  modes  high quality  reverse KL  seconds",
        "holds: True",
        "M_global per epoch:",
        "k per epoch:",
        "BEGAN {'confident_fraction':",
        "Wasserstein estimate per epoch:",
    ],
    "03_autoencoders.ipynb": [
        "mixture weights:",
        "MMD^2(codes, prior) =",
        "KS per dimension:",
        "cvae_gan {'reconstruction_mse':",
        "mean gradient cosine per epoch:",
        "unified_ae_gan {'reconstruction_mse':",
        "model           ",
    ],
    "04_gaia.ipynb": [
        "discriminator loss (0.1, 0.3, 0.5): -0.7",
        "real error 0.3: delta_Disc 0.500, delta_Gen 0.500",
        "local structure, codes z = 2x: 0.0",
        "local structure, codes 0, 2, 4: 0.0335",
        "discriminator_balance per epoch:",
        "GAIA: held-out reconstructions recognised",
        "model   mean confidence  confident > 0.9  sharpness",
        "regression       ink    monotonic",
        "served == keras: True",
    ],
}


def test_there_are_tutorials():
    assert TUTORIALS


def test_every_tutorial_has_expectations():
    assert sorted(EXPECTED_OUTPUT) == [path.name for path in TUTORIALS]


def _outputs_text(notebook):
    return "".join(o.get("text", "") for c in notebook.cells for o in c.get("outputs", []))


@pytest.mark.parametrize("path", TUTORIALS, ids=lambda p: p.name)
def test_notebook_executes(path, tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_GANS_TUTORIAL_QUICK", "1")
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "3")
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors, "\n".join(f"{e['ename']}: {e['evalue']}" for e in errors)
    text = _outputs_text(notebook)
    missing = [s for s in EXPECTED_OUTPUT.get(path.name, []) if s not in text]
    assert not missing, f"{path.name}: outputs lack {missing}"
    assert "holds: False" not in text, "a by-hand check of the notebook failed"


def test_notebooks_match_their_source_in_scripts_build_tutorials():
    """The notebooks are generated: an edit made to a notebook alone is lost at the next build."""
    import importlib.util
    import sys

    scripts = Path(__file__).resolve().parents[1] / "scripts"
    sys.path.insert(0, str(scripts))
    try:
        spec = importlib.util.spec_from_file_location("build_tutorials", scripts / "build_tutorials.py")
        build_tutorials = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(build_tutorials)
    finally:
        sys.path.remove(str(scripts))
    folder = scripts.parent / "tutorials"
    assert {p.name for p in TUTORIALS} == set(build_tutorials.NOTEBOOKS)
    for name, cells in build_tutorials.NOTEBOOKS.items():
        assert build_tutorials.same_content(folder / name, build_tutorials.build(cells)), (
            f"{name} differs from scripts/build_tutorials.py: run `python scripts/build_tutorials.py`"
        )
