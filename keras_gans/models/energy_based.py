"""EBGAN and BEGAN: the discriminator is an autoencoder whose energy is its reconstruction error."""

import tensorflow as tf
from keras import ops

from keras_gans import networks
from keras_gans.losses import energy
from keras_gans.models.base import cross_replica_mean
from keras_gans.models.gan import GAN
from keras_gans.registry import register_model


class AutoencoderGAN(GAN):
    """Shared plumbing: an autoencoder discriminator and a per-example reconstruction energy.

    Subclasses set `energy_norm` ("l2": mean squared error, "l1": mean absolute error),
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
        return networks.build_autoencoder_discriminator(
            self.data_shape, self.code_dim, conv=self.uses_conv_networks(),
            hidden_units=self.hidden_units, base_filters=self.base_filters,
            batch_norm=self.autoencoder_batch_norm, architecture=self.autoencoder_architecture,
        )

    def energy_and_code(self, x):
        """(per-example reconstruction error, encoder code) of the (augmented) inputs."""
        x = self.augmented(x)
        reconstruction, code = self.discriminator(x, training=True)
        return energy.reconstruction_energy(x, reconstruction, self.energy_norm), code

    def judge(self, x, labels=None):
        return self.energy_and_code(x)[0]


@register_model("ebgan")
class EBGAN(AutoencoderGAN):
    """Energy-based GAN (Zhao, Mathieu & LeCun 2017).

    The discriminator is an autoencoder and D(x) = ||Dec(Enc(x)) - x||^2 (mean over
    dimensions) is an energy: low on data, pushed above a margin m on generated samples.
        L_D = D(x) + [m - D(G(z))]_+                         (eq. 1)
        L_G = D(G(z)) + lambda_PT f_PT(Enc(G(z)))            (eq. 2 with eq. 6)
    where the pulling-away term f_PT, the mean squared cosine similarity between the
    encoder codes of different generated examples, discourages a collapsed batch.

    Args:
        margin: float. m, in the units of D (mean squared error per dimension). Defaults to
            0.1: the hinge must switch off once a fake is clearly worse than the data, so m
            belongs at the scale of real reconstruction errors (~0.04 on MNIST in [-1, 1]).
            With m = 1 (a blank guess's energy) the hinge never switched off, D pushed every
            fake up without bound and G made grey textures (0% of MNIST samples recognised);
            m = 0.1 gave 72% (30 epochs, benchmarks/mnist_quality.py). The 2D mixture recipe
            keeps m = 1 (keras_gans.mixtures).
        pulling_away_weight: float. lambda_PT. Defaults to 0.1 (the paper's).
        code_dim: int. Width of the autoencoder's code. Defaults to 32.
        Others: see `GAN` (Adam(2e-4, beta_1 0.5), networks, ...).

    Reference: Zhao et al. 2017, "Energy-based Generative Adversarial Network",
    eq. 1, 2 and 6 (arXiv:1609.03126).
    """

    metric_names = ("discriminator_loss", "generator_loss", "pulling_away_term")
    training_defaults = {"dataset": "mnist", "epochs": 30, "batch_size": 64}

    def __init__(self, data_shape, latent_dim=100, margin=0.1, pulling_away_weight=0.1, **kwargs):
        self.margin, self.pulling_away_weight = float(margin), float(pulling_away_weight)
        super().__init__(data_shape=data_shape, latent_dim=latent_dim, **kwargs)

    def discriminator_loss(self, real_outputs, fake_outputs):
        return energy.ebgan_discriminator_loss(real_outputs, fake_outputs, self.margin)

    def generator_objective(self, batch_size, labels=None):
        fake_energy, code = self.energy_and_code(self.generator_forward(self.sample_prior(batch_size), training=True))
        pulling_away = self.pulling_away_weight * energy.pulling_away_term(code)
        return energy.ebgan_generator_loss(fake_energy) + pulling_away, {"pulling_away_term": pulling_away}


@register_model("began")
class BEGAN(AutoencoderGAN):
    """Boundary Equilibrium GAN (Berthelot, Schumm & Metz 2017).

    With L(v) = |v - D(v)| the autoencoder's L1 reconstruction loss (eta = 1, mean over
    dimensions), the players keep the equilibrium E[L(G(z))] = gamma E[L(x)]:
        L_D = L(x) - k_t L(G(z_D))
        L_G = L(G(z_G))
        k_{t+1} = clip(k_t + lambda_k (gamma L(x) - L(G(z_G))), 0, 1)      (eq. 4)
    k_t lives in a model variable: saved and restored with the weights, and updated
    identically on every replica from the cross-replica means of L(x) and L(G(z_G)).
    The convergence measure M_global = L(x) + |gamma L(x) - L(G(z_G))| is logged as
    `convergence`, and k_t as `k`.

    Args:
        gamma: float. The diversity ratio E[L(G(z))] / E[L(x)]. Defaults to 0.5.
        lambda_k: float. Learning rate of k_t. Defaults to 0.001 (the paper's).
        learning_rate: float. Adam learning rate (beta_1 0.5) of both players. Defaults to 1e-4.
        code_dim: int. Width of the autoencoder's code (h). Defaults to 32.
        autoencoder_architecture: "shallow" (default) or "dcgan": the image autoencoder.
            The shallow one (one conv, a linear code, one transposed conv) is the default
            because the deep DCGAN-rule autoencoder also reconstructs the smooth textures an
            early generator draws: G lowered L(G(z)) with textures, L(G(z)) stayed above
            gamma L(x), k_t fell to 0 and D never pushed back (0% of MNIST samples
            recognised for every gamma, lambda_k and code width tried). The paper's own 3x3
            ELU networks (n = 16, 20 epochs, 2x slower) gave 0% at gamma = 0.5 and 29%, mostly
            ones, at gamma = 1.
        Others: see `GAN` (networks, ...). The autoencoder has no batch norm, as in the paper.

    `keras-gans train began` (MNIST) trains with gamma = 1 and Adam 2e-4 for 60 epochs
    (`training_defaults`): on 5,000 digits a generator's samples never become twice as easy
    to autoencode as the data, so with gamma = 0.5 k_t stays near 0 (0.3% of samples
    recognised); gamma = 1 holds k_t at 0.2-0.3 and 66.7% are recognised (classifier FID
    176, 293 s; benchmarks/mnist_quality.py).

    Reference: Berthelot et al. 2017, "BEGAN: Boundary Equilibrium Generative Adversarial
    Networks", eq. 4 and section 3.4.1 (arXiv:1703.10717).
    """

    metric_names = ("discriminator_loss", "generator_loss", "convergence", "k")
    derived_arguments = ("discriminator_steps",)
    energy_norm = "l1"
    autoencoder_batch_norm = False
    default_autoencoder_architecture = "shallow"
    training_defaults = {"dataset": "mnist", "epochs": 60, "batch_size": 64,
                         "hyperparameters": {"gamma": 1.0, "learning_rate": 2e-4}}

    def __init__(self, data_shape, latent_dim=100, gamma=0.5, lambda_k=0.001, learning_rate=1e-4, **kwargs):
        self.gamma, self.lambda_k = float(gamma), float(lambda_k)
        super().__init__(data_shape=data_shape, latent_dim=latent_dim, learning_rate=learning_rate, **kwargs)
        # ONLY_FIRST_REPLICA: each replica assigns the same value (computed from all-reduced
        # losses); the first replica's write is kept.
        self.k = self.add_weight(
            name="k", shape=(), initializer="zeros", trainable=False, aggregation="only_first_replica"
        )

    def train_step(self, data):
        self.begin_step()
        x, _ = self.split_batch(data)
        batch_size = tf.shape(x)[0]

        def discriminator_objective():
            real_loss = self.judge(x)
            fake_loss = self.judge(self.generator_forward(self.sample_prior(batch_size), training=True))
            return energy.began_discriminator_loss(real_loss, fake_loss, self.k), {"real": ops.mean(real_loss)}

        d_loss, d_terms = self.minimize("discriminator", discriminator_objective)
        g_loss = self.minimize(
            "generator", lambda: ops.mean(self.judge(self.generator_forward(self.sample_prior(batch_size), training=True)))
        )
        real_loss, fake_loss = cross_replica_mean(d_terms["real"]), cross_replica_mean(g_loss)
        self.k.assign(energy.began_k_update(self.k, real_loss, fake_loss, self.gamma, self.lambda_k))
        return self.end_step(
            discriminator_loss=d_loss, generator_loss=g_loss, k=self.k.value,
            convergence=energy.began_convergence(real_loss, fake_loss, self.gamma),
        )
