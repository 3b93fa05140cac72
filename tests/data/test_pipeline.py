"""Tests for keras_gans.data.pipeline: batches, scaling, labels, shuffling, errors."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gans.data import Dataset, from_model_range, load_dataset, make_pipeline, to_model_range


def _indexed_images(n=10):
    """Image i is constant i / n and has label i, so a batch tells which examples it holds."""
    x = np.repeat(np.arange(n, dtype=np.float32) / n, 4 * 4).reshape(n, 4, 4, 1)
    return Dataset(x, np.arange(n, dtype=np.int64), n, "indexed")


def _indices(batch, n=10):
    """Recovers example indices from a batch of `_indexed_images` in model range."""
    return np.rint((batch.numpy()[:, 0, 0, 0] + 1.0) / 2.0 * n).astype(int)


def _epoch(ds):
    return [_indices(batch) for batch in ds]


def test_images_are_scaled_to_model_range_with_aligned_int32_labels():
    ds = make_pipeline(_indexed_images(), 5, with_labels=True)
    for x, y in ds:
        assert x.dtype == tf.float32 and y.dtype == tf.int32 and x.shape == (5, 4, 4, 1)
        # x_model = 2 x - 1 where x = y / n: the label still belongs to its image.
        np.testing.assert_allclose(x.numpy()[:, 0, 0, 0], 2 * y.numpy() / 10 - 1, atol=1e-6)


def test_mnist_batches_span_minus_one_to_one():
    ds = make_pipeline(load_dataset("mnist", num_samples=256), 64)
    batch = next(iter(ds))
    assert batch.shape == (64, 28, 28, 1) and batch.dtype == tf.float32
    assert batch.numpy().min() == -1.0 and batch.numpy().max() == 1.0
    assert ds.element_spec.shape == (64, 28, 28, 1)  # static batch: replicas get equal shards


def test_points_are_not_scaled():
    points = np.array([[10.0, -3.0], [5.0, 2.0], [7.0, 7.0]], np.float32)
    ds = make_pipeline(Dataset(points, None, None, "points"), 3, shuffle=False)
    np.testing.assert_array_equal(next(iter(ds)).numpy(), points)


def test_drop_remainder_and_each_example_once_per_epoch():
    data = _indexed_images(10)
    assert [len(b) for b in _epoch(make_pipeline(data, 4))] == [4, 4]
    batches = _epoch(make_pipeline(data, 4, drop_remainder=False))
    assert [len(b) for b in batches] == [4, 4, 2]
    assert sorted(np.concatenate(batches)) == list(range(10))


def test_unshuffled_order_and_repeat():
    batches = _epoch(make_pipeline(_indexed_images(10), 5, shuffle=False, repeat=True).take(5))
    assert np.concatenate(batches).tolist() == list(range(10)) * 2 + list(range(5))


def test_shuffle_is_seeded_and_reshuffles_each_epoch():
    def two_epochs(seed):
        ds = make_pipeline(_indexed_images(10), 10, seed=seed)
        return [_epoch(ds)[0].tolist() for _ in range(2)]

    first, second = two_epochs(seed=7)
    assert two_epochs(seed=7) == [first, second]  # deterministic
    assert first != second  # reshuffle_each_iteration
    assert two_epochs(seed=8)[0] != first
    assert sorted(first) == list(range(10)) and first != list(range(10))


def test_endless_epochs_repeat_the_per_epoch_batches_behind_one_iterator():
    """fit(steps_per_epoch) over endless_epochs sees, epoch after epoch, the batches that
    iterating the finite pipeline once per epoch yields: each epoch whole, reshuffled, with
    its remainder dropped (never a batch straddling two epochs)."""
    data = _indexed_images(10)
    finite = make_pipeline(data, 3, seed=4)
    expected = [_epoch(finite) for _ in range(4)]
    iterator = iter(make_pipeline(data, 3, seed=4, endless_epochs=True))
    seen = [[_indices(next(iterator)) for _ in range(3)] for _ in range(4)]
    assert [[list(b) for b in epoch] for epoch in seen] == [[list(b) for b in epoch] for epoch in expected]
    for epoch in seen:
        assert len(set(np.concatenate(epoch))) == 9  # 9 distinct examples, one dropped
    with pytest.raises(ValueError, match="exclude each other"):
        make_pipeline(data, 3, repeat=True, endless_epochs=True)


def test_distribution_options_shard_by_data():
    options = make_pipeline(_indexed_images(), 2).options()
    assert (options.experimental_distribute.auto_shard_policy
            == tf.data.experimental.AutoShardPolicy.DATA)


def test_every_pipeline_turns_tf_data_autotuning_off():
    # With autotuning on, destroying an iterator waits for the autotuner's next wake-up
    # (period doubling to 60 s), and Keras destroys one at the end of every `fit` (DESIGN §8)
    from keras_gans.data import make_domain_pipeline

    data = _indexed_images()
    assert make_pipeline(data, 5).options().autotune.enabled is False
    assert make_domain_pipeline(data, data, 5).options().autotune.enabled is False


def test_fit_turns_autotuning_off_on_a_users_dataset_unless_asked_for(monkeypatch):
    import keras

    from keras_gans import GAN

    seen = []
    monkeypatch.setattr(keras.Model, "fit", lambda self, x, **kwargs: seen.append(x.options().autotune.enabled))
    model = GAN(data_shape=(2,), latent_dim=2)
    model.compile()
    users = tf.data.Dataset.from_tensor_slices(np.zeros((8, 2), np.float32)).batch(4)
    model.fit(users)
    asked = tf.data.Options()
    asked.autotune.enabled = True
    model.fit(users.with_options(asked))
    assert seen == [False, True]


def test_errors_say_what_to_change():
    unlabelled = Dataset(np.zeros((30, 2), np.float32), None, None, "ring-ish")
    with pytest.raises(ValueError, match="dataset 'ring-ish' has no labels; conditional models"):
        make_pipeline(unlabelled, 2, with_labels=True)
    small = Dataset(np.zeros((30, 28, 28, 1), np.float32), np.zeros(30, np.int64), 10, "mnist")
    with pytest.raises(ValueError, match="dataset 'mnist' has 30 examples, fewer than one "
                                         "batch of 64: lower --batch-size or add data"):
        make_pipeline(small, 64)
    assert next(iter(make_pipeline(small, 64, drop_remainder=False))).shape[0] == 30
    with pytest.raises(ValueError, match="batch_size must be at least 1, got 0"):
        make_pipeline(small, 0)


def test_model_range_round_trip_numpy_and_tensors():
    images = np.array([0.0, 0.25, 1.0], np.float32).reshape(1, 3, 1, 1)
    model = to_model_range(images)
    assert isinstance(model, np.ndarray) and model.dtype == np.float32
    np.testing.assert_allclose(model.ravel(), [-1.0, -0.5, 1.0])
    np.testing.assert_allclose(from_model_range(model, is_image=True), images)
    tensor = to_model_range(tf.constant(images))
    assert isinstance(tensor, tf.Tensor)
    np.testing.assert_allclose(tensor.numpy(), model)
    # A generator's output past the range is clipped back into [0, 1].
    outside = tf.constant([[[[-1.2]], [[1.3]]]])
    np.testing.assert_allclose(np.asarray(from_model_range(outside, True)).ravel(), [0.0, 1.0])
    points = np.array([[3.0, -4.0]], np.float32)
    assert to_model_range(points) is points and from_model_range(points, False) is points


# ----------------------------------------------------------------------- two domains
def test_domain_pipeline_yields_unpaired_batches_of_each_domain_shuffled_independently():
    from keras_gans.data import Dataset, make_domain_pipeline

    a = Dataset(np.arange(6, dtype=np.float32).reshape(6, 1, 1, 1) / 10, None, None, "a")
    b = Dataset(np.arange(4, dtype=np.float32).reshape(4, 1, 1, 1) / 10 + 0.5, None, None, "b")
    epoch = list(make_domain_pipeline(a, b, 2, seed=0))
    assert len(epoch) == 3  # the larger domain read once
    x_a = np.concatenate([np.asarray(x) for x, _ in epoch]).ravel()
    x_b = np.concatenate([np.asarray(y) for _, y in epoch]).ravel()
    np.testing.assert_allclose(np.sort(x_a), np.arange(6) / 10 * 2 - 1, atol=1e-6)  # model range
    assert set(np.round(x_b * 10).astype(int).tolist()) <= {0, 2, 4, 6}
    second = np.concatenate([np.asarray(x) for x, _ in make_domain_pipeline(a, b, 2, seed=0)]).ravel()
    other_seed = np.concatenate([np.asarray(x) for x, _ in make_domain_pipeline(a, b, 2, seed=1)]).ravel()
    np.testing.assert_array_equal(x_a, second)
    assert not np.array_equal(x_a, other_seed)


def test_domain_pipeline_refuses_an_empty_or_non_image_domain():
    from keras_gans.data import Dataset, make_domain_pipeline

    images = Dataset(np.zeros((4, 2, 2, 1), np.float32), None, None, "images")
    with pytest.raises(ValueError, match="second domain.*holds no examples"):
        make_domain_pipeline(images, Dataset(np.zeros((0, 2, 2, 1), np.float32), None, None, "empty"), 2)
    with pytest.raises(ValueError, match="translation models take images"):
        make_domain_pipeline(Dataset(np.zeros((4, 2), np.float32), None, None, "points"), images, 2)


def test_digits28_is_the_sklearn_digits_at_mnist_size_with_a_held_out_split():
    from keras_gans.data import load_dataset

    train, test = load_dataset("digits28_train"), load_dataset("digits28_test")
    assert train.data_shape == test.data_shape == (28, 28, 1)
    assert len(train) == 797 and len(test) == 1000
    assert np.bincount(test.y).min() >= 97  # stratified: ~100 of each class
    assert 0.0 <= train.x.min() and train.x.max() <= 1.0
    # framed as MNIST: each digit inside a 20x20 box, its centre of mass at the field's centre
    digits = np.concatenate([train.x, test.x])[..., 0]
    mass = digits.sum(axis=(1, 2))
    ramp = np.arange(28)
    centre_row, centre_col = digits.sum(axis=2) @ ramp / mass, digits.sum(axis=1) @ ramp / mass
    assert np.mean((np.abs(centre_row - 13.5) <= 0.5) & (np.abs(centre_col - 13.5) <= 0.5)) > 0.99
    inked_rows, inked_cols = (digits > 0).any(axis=2), (digits > 0).any(axis=1)
    assert inked_rows.sum(axis=1).max() <= 20 and inked_cols.sum(axis=1).max() <= 20


def test_mnist_framing_on_hand_cases():
    from keras_gans.data.sources import mnist_framed

    full = mnist_framed(np.ones((1, 8, 8)))[0, ..., 0]  # centre of mass 9.5 in the box -> rows 4..23
    expected = np.zeros((28, 28))
    expected[4:24, 4:24] = 1.0
    np.testing.assert_allclose(full, expected, atol=1e-6)
    corner = np.zeros((1, 8, 8))
    corner[0, 0, 0] = 1.0  # mass in the top-left corner: the shift stops where the box meets the edge
    framed = mnist_framed(corner)[0, ..., 0]
    assert framed[:8].max() == 0 and framed[:, :8].max() == 0 and framed[8:, 8:].max() > 0.5
