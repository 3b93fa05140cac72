"""keras_gans: reference implementations of generative models for TensorFlow 2 / Keras 3."""

import os

# Quiet TensorFlow's C++ start-up chatter unless the user asked for it.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

__version__ = "0.1.0"

from keras_gans._startup import quiet_native_startup  # noqa: E402

with quiet_native_startup():  # TensorFlow's import prints native lines the variable above misses
    from keras_gans import data, losses, models, networks  # noqa: E402
    # what users reach as keras_gans.X after `import keras_gans` (the README, the tutorials)
    from keras_gans import callbacks, evaluation, export, metrics, recipes, training  # noqa: E402
from keras_gans.models import (  # noqa: E402
    AAE,
    AE,
    VAE,
    VAEGAN,
    AutoencodingModel,
    BEGAN,
    BiGAN,
    BPRMF,
    CGAN,
    CVAEGAN,
    CycleGAN,
    DCGAN,
    DiscoGAN,
    DoubleGAN,
    EBGAN,
    FGAN,
    GAIA,
    GAN,
    InfoGAN,
    IRGAN,
    WGAN,
    WGANGP,
    AdversarialModel,
    GenerativeModel,
    LeastSquaresGAN,
    LossSensitiveGAN,
    Recommender,
    TranslationModel,
    UnifiedAEGAN,
)
from keras_gans.registry import get_model_class, list_models, register_model  # noqa: E402
