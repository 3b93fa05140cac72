"""The losses of unpaired translation that compare an image with its mapped image.

Both are per-pixel means over the batch and every image axis, in float32: the authors' code
of CycleGAN (`nn.L1Loss`) and of DiscoGAN (`nn.MSELoss`) average over pixels, and their
weights (CycleGAN's lambda = 10) are calibrated on that scale. The papers write the norms
without the 1/(H W C) factor.
"""

from keras import ops

from keras_gans.losses._common import _f32

CYCLE_NORMS = ("l1", "l2")


def cycle_consistency_loss(x, x_cycled, norm="l1"):
    """E_x ||F(G(x)) - x|| per pixel: "l1" (CycleGAN, Zhu et al. 2017, eq. 2) or "l2" (the
    squared distance of DiscoGAN's reconstruction loss, Kim et al. 2017, eq. 1 and the
    authors' code).

    Args:
        x: images (batch, H, W, C), the model's range.
        x_cycled: the same images mapped to the other domain and back.
        norm: "l1" (mean absolute difference) or "l2" (mean squared difference). Defaults to "l1".
    """
    difference = _f32(x_cycled) - _f32(x)
    if norm == "l1":
        return ops.mean(ops.abs(difference))
    if norm == "l2":
        return ops.mean(ops.square(difference))
    raise ValueError(f"norm must be one of {CYCLE_NORMS}, got {norm!r}.")


def identity_loss(y, y_mapped):
    """E_y ||G(y) - y||_1 per pixel: a generator fed an image of its own target domain should
    return it unchanged (CycleGAN's identity mapping loss, Zhu et al. 2017, section 5.2,
    from Taigman et al. 2016). The same L1 distance as the cycle loss, applied to G(y)."""
    return cycle_consistency_loss(y, y_mapped, norm="l1")
