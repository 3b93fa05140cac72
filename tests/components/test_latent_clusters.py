"""DCGAN's self-conditioning: k-means clusters of the data condition both players."""

import math

import numpy as np
import pytest
import tensorflow as tf
from model_test_case import fit_one_step

from keras_gans import DCGAN, networks

SHAPE = (8, 8, 1)


def tiny(**kwargs):
    return DCGAN(**{"data_shape": SHAPE, "latent_dim": 4, "base_filters": 4, "seed": 3, "clusters": 3, **kwargs})


def three_blobs(counts=(40, 80, 120)):
    """Images near three distinct constant images, in the model range [-1, 1]."""
    rng = np.random.default_rng(0)
    levels = (-0.8, 0.0, 0.8)
    blobs = [level + 0.05 * rng.standard_normal((n, *SHAPE)) for level, n in zip(levels, counts)]
    return np.concatenate(blobs).astype(np.float32), levels


def test_the_latent_cluster_is_the_frequency_interval_of_the_first_coordinates_cdf():
    model = tiny()
    model.cluster_cumulative_frequencies.assign([0.2, 0.5, 1.0])
    # Phi(-1) = 0.159 -> cluster 0; Phi(0) = 0.5 sits on the boundary -> cluster 2 starts at
    # 0.5; Phi(-0.3) = 0.382 -> 1; Phi(3) = 0.999 -> 2. Other coordinates do not matter.
    z = np.array([[-1.0, 5, 5, 5], [0.0, -5, 0, 0], [-0.3, 0, 0, 0], [3.0, 0, 0, 0]], np.float32)
    assert model.latent_cluster(z).numpy().tolist() == [0, 2, 1, 2]
    draws = model.latent_cluster(model.draw_prior(20_000, 0)).numpy()
    np.testing.assert_allclose(np.bincount(draws, minlength=3) / 20_000, [0.2, 0.3, 0.5], atol=0.015)

    uniform = tiny(prior="uniform")
    uniform.cluster_cumulative_frequencies.assign([0.2, 0.5, 1.0])
    # u = (z1 + 1) / 2: z1 = -0.7 -> 0.15, -0.2 -> 0.4, 0.2 -> 0.6
    z = np.array([[-0.7, 0, 0, 0], [-0.2, 0, 0, 0], [0.2, 0, 0, 0]], np.float32)
    assert uniform.latent_cluster(z).numpy().tolist() == [0, 1, 2]


def test_nearest_cluster_matches_brute_force():
    model = tiny()
    rng = np.random.default_rng(1)
    centroids = rng.uniform(-1, 1, (3, math.prod(SHAPE))).astype(np.float32)
    model.cluster_centroids.assign(centroids)
    x = rng.uniform(-1, 1, (50, *SHAPE)).astype(np.float32)
    brute = np.argmin(((x.reshape(50, 1, -1) - centroids[None]) ** 2).sum(-1), axis=1)
    np.testing.assert_array_equal(model.nearest_cluster(x).numpy(), brute)


def test_fit_finds_the_clusters_once_and_a_resumed_fit_keeps_them():
    x, levels = three_blobs()
    model = tiny()
    model.compile()
    assert not model.clusters_fitted
    fit_one_step(model, x)
    assert model.clusters_fitted
    centroid_levels = model.cluster_centroids.numpy().mean(axis=1)
    order = np.argsort(centroid_levels)
    np.testing.assert_allclose(centroid_levels[order], levels, atol=0.02)
    sizes = np.diff(np.concatenate([[0.0], model.cluster_cumulative_frequencies.numpy()]))
    np.testing.assert_allclose(sizes[order], np.array([40, 80, 120]) / 240, atol=1e-6)
    # each real image is conditioned on its own blob's cluster
    assert np.all(model.nearest_cluster(x[:40]).numpy() == order[0])

    centroids = model.cluster_centroids.numpy()
    fit_one_step(model, x[::-1] * 0.5)  # other data: a resumed run keeps its cluster ids
    np.testing.assert_array_equal(model.cluster_centroids.numpy(), centroids)


def test_fewer_images_than_clusters_leaves_the_extra_clusters_without_mass():
    x, _ = three_blobs(counts=(1, 1, 0))
    model = tiny(clusters=4)
    model.fit_clusters(x)
    sizes = np.diff(np.concatenate([[0.0], model.cluster_cumulative_frequencies.numpy()]))
    assert sorted(sizes.tolist()) == [0.0, 0.0, 0.5, 0.5]
    drawn = model.latent_cluster(model.draw_prior(1000, 0)).numpy()
    assert set(drawn.tolist()) <= set(np.flatnonzero(sizes).tolist())


def test_a_generated_image_is_judged_under_its_latent_cluster_not_its_nearest_one():
    model = tiny()
    model.cluster_cumulative_frequencies.assign([0.3, 0.6, 1.0])
    z = model.draw_prior(16, 0)
    clusters = model.latent_cluster(z)
    assert len(set(clusters.numpy().tolist())) > 1
    np.testing.assert_allclose(
        model.generator_forward(z).numpy(),
        model.generator([z, tf.one_hot(clusters, 3)], training=False).numpy(), atol=1e-6)
    # the GAN's hook that conditions fakes (in D's and G's objectives)
    np.testing.assert_array_equal(model.fake_condition(z, None).numpy(), clusters.numpy())
    # sample(labels=k) draws cluster k
    np.testing.assert_allclose(
        model.sample(4, seed=1, labels=2).numpy(),
        model.to_data_units(model.generator([model.draw_prior(4, 1), tf.one_hot([2] * 4, 3)])).numpy(), atol=1e-6)


def test_clusters_zero_is_the_papers_unconditional_dcgan():
    model = tiny(clusters=0)
    assert len(model.generator.inputs) == 1 and len(model.discriminator.inputs) == 1
    assert not model.clusters_fitted and not any("cluster" in w.path for w in model.weights)
    model.compile()
    history = fit_one_step(model, three_blobs()[0])
    assert all(np.isfinite(v[-1]) for v in history.values())


@pytest.mark.parametrize("clusters", [1, -2])
def test_invalid_cluster_counts_are_refused(clusters):
    with pytest.raises(ValueError, match=r"clusters must be 0 \(no self-conditioning\) or >= 2"):
        tiny(clusters=clusters)


def test_clusters_and_class_labels_exclude_each_other():
    with pytest.raises(ValueError, match="use CGAN"):
        tiny(num_classes=10)


def test_unconditioned_networks_passed_to_a_self_conditioned_model_are_refused_with_advice():
    generator = networks.build_conv_generator(4, SHAPE, 4)
    with pytest.raises(ValueError, match=r"generator must take 2 input\(s\).*takes 1.*num_classes"):
        tiny(generator=generator)


def test_k_means_reads_a_bounded_number_of_pixel_values():
    x, levels = three_blobs()  # the first 40 images are the first blob's
    model = tiny()
    model.fit_clusters(x, max_values=30 * math.prod(SHAPE))  # room for 30 images
    counts = np.diff(np.concatenate([[0.0], model.cluster_cumulative_frequencies.numpy()])) * 30
    np.testing.assert_allclose(counts, np.round(counts), atol=1e-4)
    assert round(counts.sum()) == 30
    np.testing.assert_allclose(model.cluster_centroids.numpy().mean(axis=1), levels[0], atol=0.05)
