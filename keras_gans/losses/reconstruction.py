"""Reconstruction losses: how far a decoded example is from its input.

Per-example values are SUMS over the example's dimensions (a log-likelihood in nats for the
Bernoulli decoder, so a VAE's KL and reconstruction terms are on the ELBO's scale); the
model losses are their batch means, in float32.
"""

from keras import ops

from keras_gans.losses._common import _f32

RECONSTRUCTION_LOSSES = ("bernoulli", "l2", "l1")


def _flat(values):
    values = _f32(values)
    return ops.reshape(values, [ops.shape(values)[0], -1])


def per_example_error(x, x_hat, norm="l2", reduction="sum"):
    """sum_i |x_i - x_hat_i|^p per example, p = 2 ("l2") or 1 ("l1"); reduction="mean"
    divides by the number of dimensions (the energies of EBGAN and BEGAN)."""
    difference = _flat(x) - _flat(x_hat)
    if norm == "l2":
        error = ops.square(difference)
    elif norm == "l1":
        error = ops.abs(difference)
    else:
        raise ValueError(f"norm must be 'l1' or 'l2', got {norm!r}.")
    if reduction == "sum":
        return ops.sum(error, axis=1)
    if reduction == "mean":
        return ops.mean(error, axis=1)
    raise ValueError(f"reduction must be 'sum' or 'mean', got {reduction!r}.")


def bernoulli_negative_log_likelihood(targets, logits):
    """-log p(x | z) = sum_i -[x_i log sigmoid(l_i) + (1 - x_i) log(1 - sigmoid(l_i))] per
    example, from logits l (stable: max(l, 0) - l x + log(1 + exp(-|l|))), targets in [0, 1]
    (Kingma & Welling 2014, Appendix C.1: the Bernoulli MLP decoder)."""
    targets, logits = _flat(targets), _flat(logits)
    per_pixel = ops.relu(logits) - logits * targets + ops.log1p(ops.exp(-ops.abs(logits)))
    return ops.sum(per_pixel, axis=1)


def reconstruction_loss(x, x_hat, kind="l2", logits=None):
    """Batch mean of the per-example reconstruction loss.

    x and x_hat are in the model's range ([-1, 1] images). "bernoulli" reads the decoder's
    `logits` of the [0, 1] pixel intensities (x_hat = 2 sigmoid(logits) - 1); "l2" / "l1" sum
    squared / absolute errors.
    """
    if kind == "bernoulli":
        if logits is None:
            raise ValueError("The Bernoulli reconstruction loss needs the decoder's logits.")
        return ops.mean(bernoulli_negative_log_likelihood((_f32(x) + 1.0) / 2.0, logits))
    if kind in ("l2", "l1"):
        return ops.mean(per_example_error(x, x_hat, norm=kind))
    raise ValueError(f"Unknown reconstruction loss {kind!r}; choose one of {RECONSTRUCTION_LOSSES}.")
