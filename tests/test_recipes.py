"""One recipe system: the command line trains what the benchmarks measured for every README row."""

import re
from pathlib import Path

import pytest

from keras_gans import cli, mixtures, recipes, training

ROOT = Path(__file__).resolve().parents[1]


def mode_coverage_rows():
    """(recipe name, dataset, command) of every row of benchmarks/results/mode_coverage.md."""
    rows = []
    for line in (ROOT / "benchmarks/results/mode_coverage.md").read_text().splitlines():
        match = re.match(r"\| (\S+) \| (ring8|grid25) \|.*\| `(keras-gans train [^`]+)` \|$", line)
        if match:
            rows.append(match.groups())
    return rows


class Stop(BaseException):
    """Raised by the spy to stop before anything is built (no handler of the CLI catches it)."""


def resolved_train_call(monkeypatch, run):
    """The Recipe that `training.train` resolves when `run()` calls it (nothing is trained)."""
    calls = []

    def spy(model_name, dataset=None, epochs=None, batch_size=None, overrides=None, steps=None, **kwargs):
        calls.append((recipes.resolve(model_name, dataset, overrides, epochs=epochs, batch_size=batch_size,
                                      steps=steps), kwargs.get("seed", 0), kwargs.get("jit_compile")))
        raise Stop

    monkeypatch.setattr(training, "train", spy)
    with pytest.raises(Stop):
        run()
    (call,) = calls
    return call


def test_every_mixture_row_has_a_recipe_and_both_benchmarked_datasets():
    rows = mode_coverage_rows()
    assert {(name, dataset) for name, dataset, _ in rows} == {
        (name, dataset) for name in mixtures.RECIPES for dataset in recipes.MIXTURES}


@pytest.mark.parametrize("name, dataset, command", mode_coverage_rows())
def test_the_printed_command_trains_what_the_mixture_benchmark_trains(name, dataset, command, monkeypatch):
    argv = command.split()[1:]
    from_cli = resolved_train_call(monkeypatch, lambda: cli.main(argv))
    from_benchmark = resolved_train_call(monkeypatch, lambda: mixtures.train_mixture_model(name, dataset, seed=0))
    assert from_cli == from_benchmark
    recipe = from_cli[0]
    assert recipe.schedule == "cosine" and recipe.steps >= 3000 and recipe.hyperparameters["latent_dim"] == 2


@pytest.mark.parametrize("name", ["dcgan", "wgan_gp", "least_squares_gan", "ebgan", "began", "cgan"])
def test_keras_gans_train_with_no_option_trains_what_the_mnist_benchmark_trains(name, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("mnist_quality", ROOT / "benchmarks/mnist_quality.py")
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    from_cli = resolved_train_call(monkeypatch, lambda: cli.main(["train", name]))
    monkeypatch.setattr("sys.argv", ["mnist_quality.py", name])

    def run_benchmark():
        monkeypatch.setattr(benchmark, "train", training.train)  # it imported `train` by name
        benchmark.main()

    from_benchmark = resolved_train_call(monkeypatch, run_benchmark)
    assert from_cli == from_benchmark and from_cli[0].dataset == "mnist"


def test_the_gan_default_is_the_ring_recipe_the_readme_reports():
    recipe = recipes.resolve("gan")
    assert (recipe.dataset, recipe.steps, recipe.batch_size, recipe.schedule) == ("ring8", 3000, 256, "cosine")
    assert recipe.hyperparameters == {"latent_dim": 2, "hidden_units": (256, 256, 256), "learning_rate": 5e-4}


def test_a_fit_batch_holds_one_real_minibatch_per_critic_step():
    assert recipes.resolve("wgan", "ring8").batch_size == 5 * 256
    assert recipes.resolve("wgan_gp", "ring8").batch_size == 2 * 512
    assert recipes.resolve("wgan_gp", "ring8", {"critic_steps": 3}).batch_size == 3 * 512


def test_user_choices_win_and_variants_pick_their_settings():
    kl = recipes.resolve("f_gan", "ring8", {"divergence": "kl"})
    assert kl.hyperparameters["r1_weight"] == 1.0 and kl.hyperparameters["learning_rate"] == 2e-4
    assert "r1_weight" not in recipes.resolve("f_gan", "ring8").hyperparameters
    mine = recipes.resolve("wgan_gp", "mnist", {"learning_rate": 1e-4}, epochs=3, batch_size=10)
    assert (mine.hyperparameters["learning_rate"], mine.epochs, mine.batch_size) == (1e-4, 3, 10)
    # an image dataset without its own entry gets the model's "any" settings, not the mixture's
    assert recipes.resolve("wgan_gp", "my_digits.npy").hyperparameters == {"learning_rate": 5e-4}
    assert recipes.resolve("gan", "mnist") == recipes.Recipe("gan", "mnist", **recipes.GENERIC)


def test_gan_with_packing_on_grid25_takes_the_pacgan_authors_players_and_batch_handling():
    plain = recipes.resolve("gan", "grid25")
    assert plain.batch_size == 256 and "discriminator_maxout_pieces" not in plain.hyperparameters
    for m in (2, 4):
        packed = recipes.resolve("gan", "grid25", {"packing": m})
        assert packed.batch_size == 100 * m  # 100 packs of m examples per update
        assert packed.hyperparameters["discriminator_maxout_pieces"] == 5 and packed.beta_1 == 0.8
        assert packed.hyperparameters["discriminator_init_std"] == 0.02 and packed.hyperparameters["learning_rate"] == 1e-4
        assert packed.hyperparameters["hidden_units"] == (200, 200, 200)
        assert (packed.steps, packed.schedule) == (60_000, "cosine")
    # on ring8 packing changes only the packing
    assert recipes.resolve("gan", "ring8", {"packing": 4}).batch_size == 256


def test_a_recipe_beta_1_reaches_every_optimizer_and_needs_one_that_has_it():
    from keras_gans.registry import get_model_class

    recipe = recipes.resolve("gan", "grid25", {"packing": 4})
    model = get_model_class("gan")(data_shape=(2,), latent_dim=2, hidden_units=(8,), packing=4,
                                   discriminator_maxout_pieces=5)
    optimizers = training.scheduled_optimizers(model, recipe, recipe.steps)
    assert {role: optimizer.beta_1 for role, optimizer in optimizers.items()} == {
        "generator": 0.8, "discriminator": 0.8}
    wgan = get_model_class("wgan")(data_shape=(2,), latent_dim=2, hidden_units=(8,))
    with pytest.raises(ValueError, match="sets beta_1, but WGAN's .* optimizer is RMSprop"):
        training.scheduled_optimizers(wgan, recipes.Recipe("wgan", "ring8", 1, 64, beta_1=0.9), 10)


def test_steps_keep_the_epochs_that_divide_them():
    recipe = recipes.resolve("gan", steps=25)
    assert (recipe.epochs, recipe.steps_per_epoch, recipe.steps) == (5, 5, 25)


@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_epochs_and_batch_size_must_be_positive_integers(bad):
    with pytest.raises(ValueError, match="must be a positive integer"):
        recipes.resolve("dcgan", epochs=bad)
    with pytest.raises(ValueError, match="must be a positive integer"):
        recipes.resolve("dcgan", batch_size=bad)


@pytest.mark.parametrize("name", sorted(set(recipes.DEFAULT_DATASETS) - set(recipes.DEFAULT_DATASETS_B)))
def test_every_model_builds_from_its_recipe_on_its_default_data_and_on_a_2d_mixture(name):
    """A recipe tuned for images must not hand image-only settings to a model trained on
    points (InfoGAN's code transforms are for images): `keras-gans train MODEL --dataset
    ring8` builds a model for every model that takes points, and the others say they take
    images only. (The translation models, which take two image domains, have their own tests.)"""
    from keras_gans.data import load_dataset

    default = recipes.DEFAULT_DATASETS[name]
    for dataset in [default] + (["ring8"] if default != "synthetic_ratings" else []):
        recipe, data = recipes.resolve(name, dataset), load_dataset(dataset, num_samples=64)
        try:
            model = training.build_model(name, data, 0, recipe.hyperparameters)
        except ValueError as error:
            assert dataset == "ring8" and "(H, W, C)" in str(error), (dataset, error)
            continue
        assert model.data_shape == data.data_shape
