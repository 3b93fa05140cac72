"""The optional exponential moving average of the weights a role updates."""


def checked_ema_momentum(momentum, name):
    """`momentum` as a float in [0, 1) (0 disables the average), or a ValueError naming `name`."""
    momentum = float(momentum)
    if not 0.0 <= momentum < 1.0:
        raise ValueError(f"{name} must be in [0, 1) (0 disables the average), got {momentum}.")
    return momentum


def ema_options(momentum):
    """Optimizer keyword arguments that keep an exponential moving average of the weights a
    role updates (swapped in when `fit` ends); momentum 0 keeps none.

    Averaging smooths the oscillation of an adversarial game (Yazici et al. 2019,
    arXiv:1806.04498). Two limits: Keras starts the average at the initial weights with no
    bias correction, so after t steps a share momentum^t of it is still the initialisation
    (short runs get a lagging network); batch-norm moving statistics are not averaged, they
    stay those of the last raw weights.
    """
    return {"use_ema": True, "ema_momentum": float(momentum)} if momentum else {}
