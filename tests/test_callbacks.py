"""StopOnNonFinite: a NaN anywhere in an epoch stops training with a clear message."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gans import GAN
from keras_gans.callbacks import NonFiniteLossError, StopOnNonFinite


def batches_with_a_nan_in(batch_index, num_batches=6):
    x = np.random.default_rng(0).normal(size=(num_batches * 8, 2)).astype(np.float32)
    x[batch_index * 8] = np.nan
    return tf.data.Dataset.from_tensor_slices(x).batch(8)


class CountBatches(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = 0

    def on_train_batch_end(self, batch, logs=None):
        self.seen += 1


@pytest.mark.parametrize("every_batch", [False, True])
def test_a_nan_in_the_middle_of_an_epoch_stops_training(every_batch):
    # The NaN enters at batch 1 of 6 and later batches' losses may be finite again on their own:
    # the epoch-end check still sees it, because the logs are running means.
    model = GAN(data_shape=(2,), latent_dim=2, hidden_units=(8,), seed=0)
    model.compile()
    counter = CountBatches()
    with pytest.raises(NonFiniteLossError, match=r"Training stopped: \w+ became nan .*No model was saved"):
        model.fit(batches_with_a_nan_in(1), epochs=3, verbose=0,
                  callbacks=[StopOnNonFinite(every_batch=every_batch), counter])
    # every_batch stops at the batch itself (before later callbacks see it); otherwise at the
    # end of the first epoch, never running a second one.
    assert counter.seen == (1 if every_batch else 6)


def test_finite_training_is_not_interrupted():
    model = GAN(data_shape=(2,), latent_dim=2, hidden_units=(8,), seed=0)
    model.compile()
    x = np.random.default_rng(0).normal(size=(48, 2)).astype(np.float32)
    history = model.fit(tf.data.Dataset.from_tensor_slices(x).batch(8), epochs=2, verbose=0,
                        callbacks=[StopOnNonFinite(every_batch=True), StopOnNonFinite()])
    assert len(history.history["generator_loss"]) == 2
