"""InfoGAN's variational bound on the mutual information between codes c and G(z, c).

Chen et al. 2016 (arXiv:1606.03657), Lemma 5.1: for any auxiliary distribution Q(c | x),

    I(c; G(z, c)) >= L_I(G, Q) = E_{c ~ P(c), x ~ G(z, c)}[log Q(c | x)] + H(c).

H(c) is fixed by the prior, so maximising L_I means minimising -E[log Q(c | x)], the
negative log-likelihood of the codes the generator was given under Q's prediction from the
image it drew. Each function below returns that negative log-likelihood (a mean over the
batch, summed over a code's dimensions), in float32:
- a categorical code: Q gives logits, the loss is the cross-entropy with the one-hot code;
- a continuous code: Q gives a factored Gaussian (mean mu, log standard deviation), the loss
  is  sum_j [ 0.5 log(2 pi) + log sigma_j + (c_j - mu_j)^2 / (2 sigma_j^2) ].
"""

import math

from keras import ops

from keras_gans.losses._common import _f32

#: bounds of a learned log standard deviation: exp(-5) = 0.007 to exp(2) = 7.4, so that a
#: confident Q cannot drive the likelihood to infinity (or the gradient to NaN)
LOG_STD_RANGE = (-5.0, 2.0)


def categorical_information_loss(code_logits, code_one_hot):
    """-E[log Q(c | x)] of one categorical code: cross-entropy of Q's logits (from logits,
    via log-softmax) against the one-hot code the generator received."""
    log_q = ops.log_softmax(_f32(code_logits), axis=-1)
    return -ops.mean(ops.sum(_f32(code_one_hot) * log_q, axis=-1))


def gaussian_information_loss(codes, mean, log_std=None):
    """-E[log Q(c | x)] of continuous codes under Q(c | x) = N(mean, exp(log_std)^2), summed
    over the code dimensions. log_std=None fixes sigma = 1 (InfoGAN's released code does);
    a given log_std is clipped to LOG_STD_RANGE."""
    codes, mean = _f32(codes), _f32(mean)
    if log_std is None:
        log_std = ops.zeros_like(mean)
    log_std = ops.clip(_f32(log_std), *LOG_STD_RANGE)
    standardized = (codes - mean) * ops.exp(-log_std)
    nll = 0.5 * math.log(2.0 * math.pi) + log_std + 0.5 * ops.square(standardized)
    return ops.mean(ops.sum(nll, axis=-1))
