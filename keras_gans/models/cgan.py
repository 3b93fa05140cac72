"""CGAN: the GAN game conditioned on class labels."""

from keras_gans.models.gan import GAN
from keras_gans.registry import register_model


@register_model("cgan")
class CGAN(GAN):
    """Conditional GAN (Mirza & Osindero 2014): both players see the class label y.

        min_G max_D  E_{x,y}[log D(x | y)] + E_{z,y}[log(1 - D(G(z | y) | y))]

    y is one-hot; the generator takes [z, y]; the discriminator sees y as extra input
    (concatenated to the input for MLPs, as the paper does; for images through the projection
    discriminator of Miyato & Koyama 2018, logit = w.phi(x) + <V y, phi(x)>, which conditions
    far more strongly than tiling y as input channels).
    Fakes are conditioned on the labels of the real minibatch, i.e. y ~ p_data(y).
    Players are convolutional for images and MLPs for vectors (the paper used MLPs on MNIST;
    convolutions reach class-faithful digits in a fraction of the CPU time).

    Args:
        data_shape: tuple. Shape of one example. Defaults to (28, 28, 1).
        num_classes: int. Number of classes. Defaults to 10.
        generator_ema: float. Generator weight-averaging momentum (0 disables). Defaults to 0.999.
        Others: see `GAN`.

    Example:
        >>> data = keras_gans.data.load_dataset("mnist")
        >>> model = keras_gans.models.CGAN(data_shape=data.data_shape, num_classes=10)
        >>> model.compile()
        >>> model.fit(keras_gans.data.make_pipeline(data, 64, with_labels=True), epochs=20)
        >>> sevens = model.sample(16, seed=0, labels=7)

    Reference: Mirza & Osindero 2014, "Conditional Generative Adversarial Nets", arXiv:1411.1784.
    """

    network_family = "auto"
    conditional = True

    def __init__(self, data_shape=(28, 28, 1), num_classes=10, generator_ema=0.999, **kwargs):
        if not num_classes:
            raise ValueError("CGAN needs num_classes >= 2 (the number of label values).")
        super().__init__(
            data_shape=data_shape, num_classes=num_classes, generator_ema=generator_ema, **kwargs
        )
