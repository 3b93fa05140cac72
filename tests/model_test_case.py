"""The checks every model gets (docs/DESIGN.md §6). A model's test class subclasses ModelChecks.

A subclass provides:
    model_name            registry name
    make_model(**kw)      a tiny, uncompiled model (built networks, float32)
    make_batch()          one global batch as fit sees it: x, or (x, y); numpy
    make_mirrorable()     (optional) a variant without per-replica batch statistics
    replica_batch_statistics  (optional) logged terms that are statistics of each replica's
                          own batch: N replicas log a different value than one device by design
"""

import json

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gans import get_model_class
from keras_gans.export import export_model


def one_batch_dataset(batch):
    return tf.data.Dataset.from_tensors(tuple(batch) if isinstance(batch, tuple) else batch)


def fit_one_step(model, batch):
    return model.fit(one_batch_dataset(batch), epochs=1, verbose=0).history


def sgd_optimizers(model, learning_rate=0.05):
    """Plain SGD: unlike Adam, it exposes a wrongly scaled gradient (docs/DESIGN.md §8)."""
    return {role: keras.optimizers.SGD(learning_rate) for role in model.optimizer_roles}


def weights_of(model):
    return [np.array(w) for w in model.weights]


def sample_endpoint_inputs(model, spec, batch=4):
    """A concrete input for one serving TensorSpec, chosen by its name."""
    rng = np.random.default_rng(0)
    if spec.name == "labels":
        return tf.constant(np.arange(batch) % model.num_classes, tf.int32)
    if spec.name == "categories":  # InfoGAN's categorical codes, each within its range
        return tf.constant(np.arange(batch)[:, None] % np.array(model.categorical_codes), tf.int32)
    if spec.name == "user_ids":  # a recommender's original ids: known users
        return tf.constant(np.asarray(model.catalogue_user_ids)[:batch], tf.int64)
    if spec.name == "k":
        return tf.constant(3, tf.int32)
    if spec.name == "count":
        return tf.constant(batch, tf.int32)
    if spec.name == "seed":
        return tf.constant(7, tf.int64)
    if spec.name == "t":
        return tf.constant(np.linspace(0, 1, batch), spec.dtype)
    shape = [batch if d is None else d for d in spec.shape]
    if spec.name in ("x", "x1", "x2", "images"):
        return tf.constant(rng.uniform(size=shape), spec.dtype)
    return tf.constant(rng.normal(size=shape), spec.dtype)


class ModelChecks:
    model_name = None
    #: a settled loss scale to start the mixed_float16 check from, for models whose first
    #: steps overflow at the default 2^15 and are (correctly) skipped by dynamic scaling
    mixed_float16_loss_scale = None
    #: logged terms computed within each replica's batch (see the module docstring)
    replica_batch_statistics = ()

    def make_model(self, **kwargs):
        raise NotImplementedError

    def make_batch(self):
        raise NotImplementedError

    def make_mirrorable(self, **kwargs):
        return self.make_model(**kwargs)

    def compiled(self, **kwargs):
        model = self.make_model(**kwargs)
        model.compile()
        return model

    # ------------------------------------------------------------------ identity
    def test_registry_name_resolves_to_the_class(self):
        model = self.make_model()
        assert get_model_class(self.model_name) is type(model)
        assert model.registry_name == self.model_name

    def test_compile_creates_no_stray_optimizer(self):
        model = self.compiled()
        assert model.optimizer is None
        assert set(model.role_optimizers) == set(model.optimizer_roles)
        for role, optimizer in model.role_optimizers.items():
            # Slots exist before the first step (lazily created ones break under a strategy).
            assert optimizer.built, role

    # ------------------------------------------------------------------ one step
    def test_step_logs_finite_values_for_every_tracked_metric(self):
        model = self.compiled()
        history = fit_one_step(model, self.make_batch())
        assert set(history) == set(model.metric_names)
        for name, values in history.items():
            assert np.isfinite(values[-1]), f"{name} = {values[-1]}"
        assert int(model.step_counter.numpy()) == 1

    def test_minimize_updates_only_its_roles_variables(self):
        model = self.compiled()
        model.role_optimizers = sgd_optimizers(model)
        for role, optimizer in model.role_optimizers.items():
            optimizer.build(model.role_variables(role))
        all_variables = model.trainable_variables
        for role in model.optimizer_roles:
            before = [np.array(v) for v in all_variables]
            # A loss that depends on every trainable variable of the model.
            model.minimize(role, lambda: tf.add_n([tf.reduce_sum(tf.square(v)) for v in all_variables]))
            own = {id(v) for v in model.role_variables(role)}
            for variable, old in zip(all_variables, before):
                changed = not np.array_equal(np.array(variable), old)
                if id(variable) in own and np.any(old != 0):
                    assert changed, f"{role} did not update its own {variable.path}"
                if id(variable) not in own:
                    assert not changed, f"{role} updated {variable.path}, which is not its variable"

    # ------------------------------------------------------------------ persistence
    def test_config_round_trip_is_idempotent(self):
        model = self.make_model()
        config = model.get_config()
        clone = type(model).from_config(json.loads(json.dumps(config)))
        assert json.dumps(clone.get_config(), sort_keys=True, default=str) == json.dumps(
            config, sort_keys=True, default=str
        )

    def test_save_load_gives_same_outputs_and_resumes_exactly(self, tmp_path):
        model = self.compiled()
        batch = self.make_batch()
        fit_one_step(model, batch)
        path = tmp_path / "model.keras"
        model.save(path)
        loaded = keras.saving.load_model(path)

        # what the model shows of itself (samples, translations, rankings): the same after a load
        np.testing.assert_allclose(loaded.preview(5, seed=3), model.preview(5, seed=3), atol=1e-6)
        assert loaded.optimizer is None
        for role, optimizer in model.role_optimizers.items():
            restored = loaded.role_optimizers[role]
            assert int(restored.iterations.numpy()) == int(optimizer.iterations.numpy()) > 0
            assert type(restored).__name__ == type(optimizer).__name__
        assert int(loaded.step_counter.numpy()) == 1
        # Same state, same batch, same step noise (from the saved counter) -> same update.
        fit_one_step(model, batch)
        fit_one_step(loaded, batch)
        for a, b in zip(model.weights, loaded.weights):
            np.testing.assert_allclose(np.array(a), np.array(b), atol=1e-5, err_msg=a.path)

    def test_export_signatures_match_keras(self, tmp_path):
        model = self.compiled()
        fit_one_step(model, self.make_batch())
        path = export_model(model, tmp_path / "export")
        assert path.name == "1"
        restored = tf.saved_model.load(str(path))
        endpoints = model.serving_endpoints()
        assert "serving_default" in endpoints
        assert set(endpoints) <= set(restored.signatures)
        for name, (fn, specs) in endpoints.items():
            inputs = {spec.name: sample_endpoint_inputs(model, spec) for spec in specs}
            expected = fn(*[inputs[spec.name] for spec in specs])
            served = restored.signatures[name](**inputs)
            assert set(served) == set(expected), name
            for key in expected:
                np.testing.assert_allclose(
                    served[key].numpy(), np.array(expected[key]), atol=1e-5, err_msg=f"{name}/{key}"
                )

    # ------------------------------------------------------------------ distribution
    def test_two_replicas_give_the_same_update_as_one_device(self, two_cpu_strategy):
        keras.utils.set_random_seed(1)
        single = self.make_mirrorable()
        single.compile(optimizers=sgd_optimizers(single))
        with two_cpu_strategy.scope():
            mirrored = self.make_mirrorable()
            mirrored.compile(optimizers=sgd_optimizers(mirrored))
        mirrored.set_weights(single.get_weights())
        initial = weights_of(single)

        batch = self.make_batch()
        single_logs = fit_one_step(single, batch)
        mirrored_logs = fit_one_step(mirrored, batch)

        changed = sum(not np.array_equal(a, b) for a, b in zip(initial, weights_of(single)))
        assert changed > 0
        for a, b, variable in zip(weights_of(single), weights_of(mirrored), single.weights):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5, err_msg=variable.path)
        for name in set(single_logs) - set(self.replica_batch_statistics):
            assert mirrored_logs[name][-1] == pytest.approx(single_logs[name][-1], rel=1e-4, abs=1e-5)

    def test_replicas_draw_different_noise(self, two_cpu_strategy):
        with two_cpu_strategy.scope():
            model = self.make_mirrorable()

        @tf.function
        def draw():
            model.begin_step()
            return model.random_normal([4, 3])

        per_replica = two_cpu_strategy.experimental_local_results(two_cpu_strategy.run(draw))
        assert not np.allclose(per_replica[0].numpy(), per_replica[1].numpy())

    # ------------------------------------------------------------------ precision and XLA
    def test_xla_train_step_compiles_and_is_finite(self):
        model = self.make_model()
        model.compile(jit_compile=True)
        history = fit_one_step(model, self.make_batch())
        assert all(np.isfinite(v[-1]) for v in history.values())

    def test_mixed_float16_wraps_every_optimizer_and_updates_like_float32(self):
        keras.utils.set_random_seed(2)
        reference = self.make_model()
        reference.compile(optimizers=sgd_optimizers(reference))
        keras.mixed_precision.set_global_policy("mixed_float16")
        keras.utils.set_random_seed(2)
        mixed = self.make_model()
        mixed.compile(optimizers=sgd_optimizers(mixed))
        for optimizer in mixed.role_optimizers.values():
            assert isinstance(optimizer, keras.optimizers.LossScaleOptimizer)
            if self.mixed_float16_loss_scale:
                optimizer.dynamic_scale.assign(self.mixed_float16_loss_scale)
        mixed.set_weights(reference.get_weights())
        before = weights_of(reference)
        batch = self.make_batch()
        fit_one_step(reference, batch)
        fit_one_step(mixed, batch)
        # Without scale_loss/unscale the float16 update would be ~32768x too small (or NaN).
        for a, b, old in zip(weights_of(reference), weights_of(mixed), before):
            if a.dtype.kind == "f" and np.abs(a - old).max() > 1e-3:
                ratio = np.abs(b - old).max() / np.abs(a - old).max()
                assert 0.5 < ratio < 2.0
