"""One check of a model's hyperparameters, by type and range, before anything is built.

The type a hyperparameter takes is its constructor default's: a whole number where the
default is an int (2.5 is refused, not truncated), a real number where it is a float, true or
false where it is a bool, a tuple of layer sizes where it is one. The ranges below are what
no model can use (a latent dimension of 0 aborts TensorFlow's kernels instead of raising).
"""

import inspect
import math
import numbers

#: whole numbers that must be at least 1 (other whole numbers must be at least 0)
POSITIVE_INTS = frozenset({
    "latent_dim", "code_dim", "noise_dim", "embedding_dim", "base_filters", "discriminator_steps",
    "critic_steps", "generator_steps", "density_components", "discriminator_negatives", "generator_samples",
    "pairs_per_user", "q_hidden_units", "num_classes",
})
#: real numbers that must be above 0 (learning rates, temperatures, scales)
POSITIVE_FLOATS = frozenset({"temperature", "clip_value", "init_scale", "interpolation_std"})
#: real numbers that may be negative (the least-squares GAN's targets a, b, c)
SIGNED_FLOATS = frozenset({"a", "b", "c"})


def constructor_defaults(model_class):
    """{argument: default} of `model_class` and the parents whose arguments it passes on."""
    defaults = {}
    for klass in reversed(model_class.__mro__):
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        for name, parameter in inspect.signature(init).parameters.items():
            if parameter.default is not inspect.Parameter.empty:
                defaults[name] = parameter.default
    return defaults


def check_hyperparameters(model_class, values):
    """Raise a ValueError naming the first of `values` ({argument: value}) that has the wrong
    type or is out of range for `model_class`; arguments without a typed default pass."""
    defaults = constructor_defaults(model_class)
    for name, value in values.items():
        if name in defaults:
            problem = _problem(name, value, defaults[name])
            if problem:
                raise ValueError(f"{model_class.registry_name}: {name} {problem}, got {value!r}.")


def _problem(name, value, default):
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "must be true or false"
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            return "must be a whole number"
        lowest = 1 if name in POSITIVE_INTS else 0
        return None if value >= lowest else f"must be at least {lowest}"
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
            return "must be a finite number"
        if name in SIGNED_FLOATS:
            return None
        if "learning_rate" in name or name in POSITIVE_FLOATS:
            return None if value > 0 else "must be above 0"
        return None if value >= 0 else "must be 0 or more"
    if isinstance(default, tuple) and default and all(isinstance(d, int) for d in default):
        if not isinstance(value, (tuple, list)) or not value or not all(
                isinstance(v, numbers.Integral) and not isinstance(v, bool) and v >= 1 for v in value):
            return "must be a tuple of whole numbers of at least 1, e.g. (256, 256)"
    return None
