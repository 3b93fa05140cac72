"""Learning-rate schedules of the papers that are not in Keras."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gans")
class ConstantThenLinearDecay(keras.optimizers.schedules.LearningRateSchedule):
    """The rate held at `initial_learning_rate` for `constant_steps` updates, then decayed
    linearly to 0 over `decay_steps` more (CycleGAN, Zhu et al. 2017, section 4: 100 epochs
    at 2e-4, then 100 decaying to 0). It reads the optimizer's own update count, which is
    saved with it, so a resumed run continues the schedule.

    Args:
        initial_learning_rate: float. The rate of the constant phase.
        constant_steps: int. Updates at the initial rate.
        decay_steps: int. Updates over which the rate falls to 0 (it stays 0 after).
    """

    def __init__(self, initial_learning_rate, constant_steps, decay_steps):
        if constant_steps < 0 or decay_steps < 1:
            raise ValueError(f"constant_steps must be >= 0 and decay_steps >= 1, got "
                             f"{constant_steps} and {decay_steps}.")
        self.initial_learning_rate = float(initial_learning_rate)
        self.constant_steps = int(constant_steps)
        self.decay_steps = int(decay_steps)

    def __call__(self, step):
        step = ops.cast(step, "float32")
        decayed = (step - self.constant_steps) / self.decay_steps
        return self.initial_learning_rate * ops.clip(1.0 - decayed, 0.0, 1.0)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "constant_steps": self.constant_steps, "decay_steps": self.decay_steps}
