"""Name -> model class registry, shared by the CLI, `train()` and Keras serialization.

`@register_model("dcgan")` both records the class under its CLI name and registers it with
`keras.saving.register_keras_serializable(package="keras_gans")`, so a saved `.keras` file
reloads without `custom_objects`.
"""

import inspect

import keras

_MODELS = {}


def register_model(name):
    """Class decorator: register a model under `name` (the file stem, e.g. "wgan_gp")."""

    def decorator(cls):
        if name in _MODELS and _MODELS[name] is not cls:
            raise ValueError(f"Model name {name!r} is already registered to {_MODELS[name]}.")
        cls.registry_name = name
        _MODELS[name] = keras.saving.register_keras_serializable(package="keras_gans")(cls)
        return cls

    return decorator


def get_model_class(name):
    """Return the class registered as `name`, or raise a ValueError listing the known names."""
    try:
        return _MODELS[name]
    except KeyError:
        raise ValueError(
            f"Unknown model {name!r}. Known models: {', '.join(sorted(_MODELS))}."
        ) from None


def summary(model_class):
    """The class docstring's first paragraph on one line ("" without a docstring): a summary
    may wrap over two source lines, and its first line alone can stop mid-sentence."""
    doc = inspect.getdoc(model_class) or ""
    return " ".join(doc.split("\n\n")[0].split())


def list_models():
    """Return {name: one-line description} for every registered model, sorted by name."""
    return {name: summary(cls) for name, cls in sorted(_MODELS.items())}
