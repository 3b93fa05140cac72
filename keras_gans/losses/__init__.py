"""Pure loss functions (tensors -> scalar), each formula written once."""

from keras_gans.losses.adversarial import (
    least_squares_discriminator_loss,
    least_squares_generator_loss,
    minimax_discriminator_loss,
    minimax_discriminator_loss_two_fakes,
    minimax_generator_loss,
    minimax_generator_loss_two_fakes,
    non_saturating_generator_loss,
    non_saturating_generator_loss_two_fakes,
    wasserstein_critic_loss,
    wasserstein_generator_loss,
)
from keras_gans.losses import (
    cycle, divergences, energy, f_divergence, feature_matching, information, interpolative, penalties,
    reconstruction,
)
from keras_gans.losses.cycle import CYCLE_NORMS, cycle_consistency_loss, identity_loss
from keras_gans.losses.information import categorical_information_loss, gaussian_information_loss
from keras_gans.losses.f_divergence import (
    F_DIVERGENCES,
    f_gan_discriminator_loss,
    f_gan_generator_loss,
    get_f_divergence,
)
from keras_gans.losses.penalties import gradient_penalty
from keras_gans.losses.divergences import gaussian_kl, kl_loss, reparameterize
from keras_gans.losses.reconstruction import RECONSTRUCTION_LOSSES, reconstruction_loss
from keras_gans.losses.feature_matching import (
    class_mean_feature_matching_loss,
    mean_feature_matching_loss,
    pairwise_feature_matching_loss,
)
