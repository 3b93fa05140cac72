"""BEGAN: an autoencoder discriminator kept in equilibrium with the generator by k_t."""

import tensorflow as tf
from keras import ops

from keras_gans.components.autoencoder_discriminator import AutoencoderDiscriminator
from keras_gans.core.replicas import cross_replica_mean
from keras_gans.losses import energy
from keras_gans.models.gan import GAN
from keras_gans.registry import register_model


@register_model("began")
class BEGAN(AutoencoderDiscriminator, GAN):
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
            (the paper uses deep 3x3 ELU networks) because a deep autoencoder also
            reconstructs the smooth textures an early generator draws, so L(G(z)) never
            rises above gamma L(x), k_t falls to 0 and D never pushes back.
        Others: see `GAN` (networks, ...). The autoencoder has no batch norm, as in the paper.

    `keras-gans train began` (MNIST) uses the recipe's gamma = 1 and Adam 2e-4 for 60 epochs
    (keras_gans.recipes): on 5,000 digits a generator's samples never become twice as easy
    to autoencode as the data, so at gamma = 0.5 k_t stays near 0; `--set gamma=0.5
    --set learning_rate=1e-4` restores the paper's.

    Reference: Berthelot et al. 2017, "BEGAN: Boundary Equilibrium Generative Adversarial
    Networks", eq. 4 and section 3.4.1 (arXiv:1703.10717).
    """

    metric_names = ("discriminator_loss", "generator_loss", "convergence", "k")
    derived_arguments = ("discriminator_steps",)
    energy_norm = "l1"
    autoencoder_batch_norm = False
    default_autoencoder_architecture = "shallow"

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
