"""Self-conditioning: an unconditional GAN conditioned on k-means clusters of its training data."""

import math

import numpy as np
import tensorflow as tf
from keras import ops

from keras_gans.core.batches import take_examples


def checked_clusters(clusters):
    """`clusters` as an int: 0 (no self-conditioning) or >= 2, else a ValueError."""
    if int(clusters) < 0 or int(clusters) == 1:
        raise ValueError(f"clusters must be 0 (no self-conditioning) or >= 2, got {clusters}.")
    return int(clusters)


class LatentClusters:
    """Mixin of `DCGAN`: both players are conditioned on unsupervised clusters of the data.

    A class-conditional GAN draws far cleaner images than an unconditional one with the same
    networks and budget, but an unconditional model has no labels. The self-conditioned GAN
    (Liu et al. 2020, "Diverse Image Generation via Self-Conditioned GANs", arXiv:2006.10728)
    clusters the training data and trains a conditional GAN (projection discriminator) on
    the cluster ids. Liu et al. cluster D's features and re-cluster during training; here the
    clusters are fixed once: k-means on the training images' pixels when the first `fit`
    starts (`fit_clusters`), which needs no extra network and keeps every id's meaning for
    the whole run (and a resumed one).

    Real images are conditioned on their nearest centroid. A generated image's cluster is
    read off its latent vector, so that z -> image stays one function (`generate(z)`, the
    serving signature, interpolation): with u = Phi(z_1), the first coordinate's normal CDF
    ((z_1 + 1) / 2 for the uniform prior), c(z) is the cluster whose interval of the
    cumulative cluster frequencies holds u. Under the prior u ~ U(0, 1), so c(z) ~ p_data(c),
    and G still sees all of z.

    The centroids and cumulative frequencies are non-trainable variables (saved, resumed,
    exported); before the first fit every frequency is 0 and every z maps to the last cluster.
    """

    def add_cluster_variables(self):
        """Create the centroid and frequency variables of `self.clusters` clusters (if any)."""
        if not self.clusters:
            return
        self.cluster_centroids = self.add_weight(
            shape=(self.clusters, int(np.prod(self.data_shape))), initializer="zeros",
            trainable=False, name="cluster_centroids")
        self.cluster_cumulative_frequencies = self.add_weight(
            shape=(self.clusters,), initializer="zeros", trainable=False,
            name="cluster_cumulative_frequencies")

    # ------------------------------------------------------------------ players
    def conditioning_width(self):
        return self.clusters or super().conditioning_width()

    def generator_forward(self, z, labels=None, training=False):
        """G(z) (the cluster c(z) is read off z unless `labels` names clusters)."""
        if self.clusters and labels is None:
            labels = self.latent_cluster(z)
        return super().generator_forward(z, labels, training=training)

    def discriminator_forward(self, x, labels=None, training=False):
        """D(x | c) as logits (c: x's nearest cluster unless `labels` names clusters)."""
        if self.clusters and labels is None:
            labels = self.nearest_cluster(x)
        return super().discriminator_forward(x, labels, training=training)

    def judge(self, x, labels=None):  # the nearest centroid of the image, before augmentation
        if self.clusters and labels is None:
            labels = self.nearest_cluster(x)
        return super().judge(x, labels)

    def fake_condition(self, z, labels):  # GAN's hook: fakes carry their own c(z)
        return self.latent_cluster(z) if self.clusters else labels

    def begin_training(self, data):  # GenerativeModel's hook, before the first fit
        if self.clusters and not self.clusters_fitted:
            self.fit_clusters(data)
        super().begin_training(data)

    # ------------------------------------------------------------------ clusters
    @property
    def clusters_fitted(self):
        return bool(self.clusters) and float(self.cluster_cumulative_frequencies.numpy()[-1]) > 0.5

    def fit_clusters(self, data, max_examples=10_000, max_values=20_000_000):
        """k-means on up to `max_examples` images of `data` (a tf.data.Dataset or an array of
        model-range inputs, as `fit` takes them) and at most `max_values` pixel values in all
        (10,000 MNIST digits, 1,627 64x64 RGB images), so that k-means on large images does
        not stall the start of training; returns the cluster sizes."""
        from sklearn.cluster import KMeans

        if data is None:
            raise ValueError("fit_clusters needs the training images (a tf.data.Dataset or an array).")
        values_per_image = int(np.prod(self.data_shape))
        images, _ = take_examples(data, min(max_examples, max(self.clusters, max_values // values_per_image)))
        flat = images.reshape(len(images), -1).astype(np.float64)
        # Fewer images than clusters (a tiny data set): fit what the images support; the
        # unused clusters copy centroid 0 (argmin picks the fitted one) and get no mass.
        fitted = min(self.clusters, len(flat))
        kmeans = KMeans(fitted, n_init=4, random_state=self.seed).fit(flat)
        unused = self.clusters - fitted
        centroids = np.concatenate([kmeans.cluster_centers_, np.repeat(kmeans.cluster_centers_[:1], unused, 0)])
        sizes = np.bincount(kmeans.labels_, minlength=self.clusters)
        cumulative = np.cumsum(sizes) / sizes.sum()
        cumulative[-1] = 1.0  # exactly: u < 1 always falls in some cluster
        self.cluster_centroids.assign(centroids.astype("float32"))
        self.cluster_cumulative_frequencies.assign(cumulative.astype("float32"))
        return sizes

    def nearest_cluster(self, x):
        """Index of the centroid nearest to each image of `x` (model range), int32 (N,)."""
        flat = ops.cast(ops.reshape(x, (ops.shape(x)[0], -1)), "float32")
        centroids = self.cluster_centroids.value
        # ||x - c||^2 without the ||x||^2 that every centroid shares
        distances = ops.sum(centroids * centroids, axis=1)[None, :] - 2.0 * ops.matmul(
            flat, ops.transpose(centroids))
        return ops.cast(ops.argmin(distances, axis=1), "int32")

    def latent_cluster(self, z):
        """c(z): the cluster whose cumulative-frequency interval holds u(z_1), int32 (N,)."""
        z1 = ops.cast(z[:, 0], "float32")
        if self.prior == "uniform":
            u = (z1 + 1.0) / 2.0
        else:
            u = 0.5 * (1.0 + tf.math.erf(z1 / math.sqrt(2.0)))
        passed = ops.sum(ops.cast(u[:, None] >= self.cluster_cumulative_frequencies.value[None, :], "int32"), axis=1)
        return ops.minimum(passed, self.clusters - 1)
