"""Every tutorial notebook runs top to bottom (with tiny budgets) without an error, as a
newcomer runs it: with the package installed from its wheel in a fresh virtualenv (not this
checkout), from a folder outside the source tree; and it matches its paired percent script."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from installed import KERNEL_NAME

TUTORIALS = sorted((Path(__file__).resolve().parents[1] / "tutorials").glob("*.ipynb"))

#: notebook name -> strings its outputs must contain (each notebook needs an entry)
EXPECTED_OUTPUT = {
    "01_dcgan_mnist.ipynb": ["clusters, shares from", "same samples after reload: True", "served == keras: True",
                              "pretrained dcgan_mnist:"],
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
        "pretrained wgan_gp_mnist:",
    ],
    "03_autoencoders.ipynb": [
        "mixture weights:",
        "MMD^2(codes, prior) =",
        "KS per dimension:",
        "cvae_gan {'reconstruction_mse':",
        "mean gradient cosine per epoch:",
        "unified_ae_gan {'reconstruction_mse':",
        "model           ",
        "pretrained vae_gan_mnist:",
        "pretrained cvae_gan_mnist:",
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
    "05_learned_codes.ipynb": [
        "uniform Q: 2.302585",
        "confident, right Q: 0.000000",
        "Gaussian, sigma 1, c - mu = 0.5: 1.043939 = 0.5 log(2 pi) + 0.125 = 1.043939",
        "planted permutation: 1.0",
        "matched accuracy:",
        "continuous code 1: rank correlation",
        "served == keras: True",
        "D loss: 1.386294  E/G loss: 1.386294  2 log 2 = 1.386294",
        "D(x, z) changes with z alone: True",
        "features          1-NN accuracy",
        "reconstructions G(E(x)) the classifier labels",
        "served encode == keras: True",
        "pretrained infogan_mnist:",
    ],
    "06_recommendation.ipynb": [
        "600 users x 400 items, threshold 5",
        "user_ids [1 2 3 9] item_ids [10 20 30 40 50 60] threshold 5.0",
        "discriminator loss 1.920605  by hand 1.920605  holds: True",
        "reward softplus(f): [2.1269 0.4741 0.4741]",
        "error shrinks with the sample count, holds: True",
        "P@3     P@5    P@10  NDCG@3  NDCG@5  NDCG@10     MAP     MRR  users",
        "irgan (discriminator)",
        "irgan (generator)",
        "no training item recommended: True",
        "served == keras: True",
        "CLI == keras: True",
    ],
    "07_translation.ipynb": [
        "cycle L1: 0.875",
        "pool answers: [1.0, 2.0, 1.0, 4.0]",
        "cycle_loss_x per epoch:",
        "direction  class kept  no translation  cycle L1",
        "served == keras: True",
    ],
}


def test_there_are_tutorials():
    assert TUTORIALS


def test_every_tutorial_has_expectations():
    assert sorted(EXPECTED_OUTPUT) == [path.name for path in TUTORIALS]


def _outputs_text(notebook):
    return "".join(o.get("text", "") for c in notebook.cells for o in c.get("outputs", []))


WHERE_FROM = "import keras_gans\nprint('keras_gans imported from', keras_gans.__file__)"


@pytest.mark.slow
@pytest.mark.parametrize("path", TUTORIALS, ids=lambda p: p.name)
def test_notebook_executes(path, tmp_path, monkeypatch, installed_package):
    monkeypatch.setenv("KERAS_GANS_TUTORIAL_QUICK", "1")
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "3")
    monkeypatch.setenv("JUPYTER_PATH", str(installed_package.jupyter_path))
    monkeypatch.setenv("PATH", installed_package.env()["PATH"])
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(WHERE_FROM))
    NotebookClient(notebook, timeout=600, kernel_name=KERNEL_NAME,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    where = notebook.cells[0].outputs[0]["text"].split("imported from", 1)[1].strip()
    assert Path(where).resolve().is_relative_to(installed_package.environment), where
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors, "\n".join(f"{e['ename']}: {e['evalue']}" for e in errors)
    text = _outputs_text(notebook)
    missing = [s for s in EXPECTED_OUTPUT.get(path.name, []) if s not in text]
    assert not missing, f"{path.name}: outputs lack {missing}"
    assert "holds: False" not in text, "a by-hand check of the notebook failed"


def test_every_notebook_is_paired_with_its_percent_script_and_matches_it():
    """The notebooks are edited as text (tutorials/NN_topic.py, jupytext's percent format) or in
    Jupyter with the pairing on; `jupytext --sync tutorials/*.py` brings the other side along.
    Outputs are not compared: a notebook may be committed with the outputs of a real run."""
    import jupytext

    def cells(notebook):
        return [(cell.cell_type, cell.source.strip()) for cell in notebook.cells]

    for path in TUTORIALS:
        script = path.with_suffix(".py")
        assert script.is_file(), f"{path.name} has no paired {script.name}: run `jupytext --set-formats ipynb,py:percent {path}`"
        notebook = nbformat.read(path, as_version=4)
        assert notebook.metadata.get("jupytext", {}).get("formats") == "ipynb,py:percent", path.name
        assert cells(jupytext.read(script)) == cells(notebook), (
            f"{path.name} and {script.name} differ: run `jupytext --sync {script}`")


def test_module_paths_the_tutorials_use_resolve_after_import_keras_gans():
    """Full-mode branches (`1 if QUICK else keras_gans.recipes.resolve(...)`) never run in the
    suite's quick mode; every `keras_gans.MODULE.` they name must be reachable anyway."""
    import re

    import keras_gans

    used = {name for path in TUTORIALS for name in re.findall(r"\bkeras_gans\.([a-z_]+)\.", path.with_suffix(".py").read_text())}
    assert used, "the tutorials name no keras_gans module"
    missing = sorted(name for name in used if not hasattr(keras_gans, name))
    assert not missing, f"`import keras_gans` does not reach keras_gans.{missing}"
