"""DCGAN: the GAN game with deep convolutional players."""

from keras_gans.models.gan import GAN
from keras_gans.components.latent_clusters import LatentClusters, checked_clusters
from keras_gans.registry import register_model


@register_model("dcgan")
class DCGAN(LatentClusters, GAN):
    """Deep convolutional GAN (Radford et al. 2015).

    The objective and Algorithm 1 are the GAN's (see `GAN`); the players follow the DCGAN
    rules (`keras_gans.networks.conv`): strided convolutions instead of pooling, batch norm
    in both players (not on G's output or D's input), ReLU in G with a tanh output,
    LeakyReLU(0.2) in D, no hidden fully connected layers; Adam(lr 2e-4, beta_1 0.5).

    Two deliberate additions to the paper (both measured better on MNIST; figures in the
    README and benchmarks/results/):
    - the generator's weights are averaged (EMA, momentum 0.999) and the average is swapped
      in when `fit` ends: oscillating, half-formed digits become recognisable ones;
    - self-conditioning (Liu et al. 2020, see `LatentClusters`): k-means splits the training
      images into `clusters` groups when the first `fit` starts, and both players are
      conditioned on the group (projection discriminator), a fake on the group read off its
      z: an unconditional generator draws many samples between two digits.
    `--set clusters=0 --set generator_ema=0` (clusters=0, generator_ema=0) gives the paper's
    plain DCGAN.

    Args:
        data_shape: tuple. (H, W, C) of square images, e.g. (28, 28, 1), (32, 32, 3), (64, 64, 3).
        latent_dim: int. Dimension of z ~ N(0, I). Defaults to 100.
        base_filters: int. Filters of D's first and G's last hidden layer. Defaults to 64.
        generator_ema: float. Generator weight-averaging momentum (0 disables). Defaults to 0.999.
        clusters: int. Number of k-means clusters of the data that condition both players
            (0 disables; with clusters, custom networks take [input, one-hot cluster]). Defaults to
            150: on small data sets, many small clusters (digits of one shape) sharpen the
            samples more than a few broad ones.
        Others: see `GAN`.

    Example:
        >>> data = keras_gans.data.load_dataset("mnist")
        >>> model = keras_gans.models.DCGAN(data_shape=data.data_shape)
        >>> model.compile()
        >>> model.fit(keras_gans.data.make_pipeline(data, 64), epochs=20)
        >>> digits = model.sample(16, seed=0)  # (16, 28, 28, 1) in [0, 1]

    Reference: Radford, Metz & Chintala 2015, "Unsupervised Representation Learning with
    Deep Convolutional Generative Adversarial Networks", arXiv:1511.06434.
    """

    network_family = "conv"

    def __init__(self, data_shape=(28, 28, 1), latent_dim=100, generator_ema=0.999, clusters=150, **kwargs):
        self.clusters = checked_clusters(clusters)  # conditioning_width() builds the players with it
        if self.clusters and kwargs.get("num_classes"):
            raise ValueError(
                "DCGAN's clusters and num_classes exclude each other: for labelled data use CGAN "
                "(or pass clusters=0 with num_classes).")
        super().__init__(
            data_shape=data_shape, latent_dim=latent_dim, generator_ema=generator_ema, **kwargs
        )
        self.add_cluster_variables()
