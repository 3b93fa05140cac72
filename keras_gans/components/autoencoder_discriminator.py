"""An autoencoder as the discriminator: its reconstruction error is the energy (EBGAN, BEGAN)."""

from keras_gans import networks
from keras_gans.losses import energy


class AutoencoderDiscriminator:
    """Mixin of a `GAN` subclass (listed before it): the discriminator is an autoencoder and
    judges an input by its per-example reconstruction error (an energy).

    Models set `energy_norm` ("l2": mean squared error, "l1": mean absolute error),
    `autoencoder_batch_norm` and `default_autoencoder_architecture`, and write their losses.
    Unconditional only.

    Args:
        code_dim: int. Width of the autoencoder's code. Defaults to 32.
        autoencoder_architecture: "dcgan" or "shallow": the image autoencoder (see
            `networks.build_autoencoder_discriminator`); None takes the model's default.
            Vectors always use MLPs.
    """

    network_family = "auto"
    derived_arguments = ("generator_loss",)
    energy_norm = "l2"
    autoencoder_batch_norm = True
    default_autoencoder_architecture = "dcgan"

    def __init__(self, data_shape, latent_dim=100, code_dim=32, autoencoder_architecture=None, **kwargs):
        self.code_dim = int(code_dim)
        self.autoencoder_architecture = autoencoder_architecture or self.default_autoencoder_architecture
        # checked here too: a discriminator passed in never reaches the builder
        networks.check_autoencoder_architecture(self.autoencoder_architecture)
        if kwargs.get("num_classes"):
            raise ValueError(f"{type(self).__name__} is unconditional: drop num_classes.")
        super().__init__(data_shape=data_shape, latent_dim=latent_dim, **kwargs)

    def build_discriminator(self):
        # with packing the autoencoder reconstructs packs: its output widens with its input
        return networks.build_autoencoder_discriminator(
            self.discriminator_input_shape(), self.code_dim, conv=self.uses_conv_networks(),
            hidden_units=self.hidden_units, base_filters=self.base_filters,
            batch_norm=self.autoencoder_batch_norm, architecture=self.autoencoder_architecture,
        )

    def energy_and_code(self, x):
        """(per-example reconstruction error, encoder code) of the (augmented) inputs; with
        packing, of each pack of `packing` consecutive inputs."""
        x = self.pack_examples(self.augmented(x))
        reconstruction, code = self.discriminator(x, training=True)
        return energy.reconstruction_energy(x, reconstruction, self.energy_norm), code

    def judge(self, x, labels=None):
        return self.energy_and_code(x)[0]
