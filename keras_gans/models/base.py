"""GenerativeModel: everything a model needs that is not its paper's algorithm.

A subclass declares
- `optimizer_roles`: role -> names of the network attributes that role's optimizer updates;
- `default_optimizers()`: the paper's optimizer settings, so `compile()` alone reproduces it;
- `metric_names`: what `train_step` reports (one vocabulary across the library);
and writes `train_step` as the paper's algorithm using `minimize(role, loss_fn)`,
`random_normal`/`random_uniform` and `track(...)`.

The base class handles the traps listed in docs/DESIGN.md §8: replica loss scaling, per-replica
noise that survives save/load, no stray optimizer from `compile`, optimizers built eagerly
inside the strategy scope, loss scaling for every optimizer under mixed_float16, and a
compile config so a loaded `.keras` model resumes with its optimizer state.
"""

import inspect

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from keras_gans.core.batches import split_batch
from keras_gans.core.gradients import gradients, loss_and_terms
from keras_gans.core.randomness import StepNoise
from keras_gans.core.replicas import in_multi_worker_mode, num_replicas_and_id
from keras_gans.data.pipeline import from_model_range
from keras_gans.data.tf_options import without_autotune


def _local_element_spec(epoch_iterator):
    """The TensorSpec structure of one batch a Keras epoch iterator reads, or None when it
    cannot say (then Keras draws a batch, as it does by default)."""
    adapter = getattr(epoch_iterator, "data_adapter", None)
    try:
        spec = adapter.get_tf_dataset().element_spec
    except Exception:  # noqa: BLE001 (any adapter that cannot produce a tf.data spec)
        return None
    # a distributed dataset's batches are PerReplicaSpecs: one replica's spec says the shapes
    spec = tf.nest.map_structure(lambda s: (getattr(s, "_value_specs", None) or (s,))[0], spec)
    specs = tf.nest.flatten(spec)
    if not specs or not all(isinstance(s, tf.TensorSpec) and s.shape.rank is not None for s in specs):
        return None
    return spec


def _inner_optimizer(optimizer):
    return getattr(optimizer, "inner_optimizer", optimizer)


class GenerativeModel(StepNoise, keras.Model):
    """Base class of every keras_gans model (not registered, not used directly).

    Args:
        data_shape: tuple. Shape of one example: (H, W, C) for images, (D,) for vectors.
        seed: int. Seed of all the model's training noise. Defaults to 0.
    """

    optimizer_roles = {}
    metric_names = ()
    #: conditional models take num_classes from a labelled dataset and train on (x, y)
    conditional = False
    #: 2 for translation models: they train on unpaired batches (x_a, x_b) of two datasets
    data_domains = 1
    #: parent constructor arguments this class sets itself (left out of its config)
    derived_arguments = ()
    #: pairs of roles whose optimizers deliberately update the same networks in separate
    #: phases of a step, e.g. the AAE's ("encoder", "generator"): a reconstruction optimizer
    #: and a regularisation optimizer, each with its own moment estimates
    roles_sharing_networks = ()
    #: objectives of `minimize_each` that are not roles: objective -> the role whose variables
    #: it trains, e.g. UnifiedAEGAN's {"encoder": "shared", "discriminator": "shared"}; the
    #: `combine` hook merges their gradients into that role's update
    objective_roles = {}
    #: why `packing` (PacGAN, see `keras_gans.components.packing`) is not an option of this
    #: model, said when a user asks for it; None: the model has no discriminator or critic
    packing_refused = None

    def __init__(self, data_shape, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.data_shape = tuple(int(d) for d in data_shape)
        self.seed = int(seed)
        self.add_step_counter()
        self._trackers = {name: keras.metrics.Mean(name=name) for name in self.metric_names}
        self.role_optimizers = {}

    def finish_init(self):
        """Call at the end of a subclass __init__, once every network exists.

        Marks the model built so that `fit` under a strategy does not call `self(batch)`
        with images (docs/DESIGN.md §8), and checks that roles do not share variables.
        """
        seen = {}
        for role in self.optimizer_roles:
            for variable in self.role_variables(role):
                other = seen.get(id(variable))
                if other is not None and frozenset((other, role)) not in self._declared_sharing():
                    raise ValueError(
                        f"Variable {variable.path} is updated by roles {other!r} and {role!r}; "
                        "each variable must belong to exactly one role (or the pair must be "
                        "declared in `roles_sharing_networks`)."
                    )
                seen.setdefault(id(variable), role)
        self.built = True

    @classmethod
    def _declared_sharing(cls):
        return {frozenset(pair) for pair in cls.roles_sharing_networks}

    # ------------------------------------------------------------------ data
    @classmethod
    def dataset_arguments(cls, dataset):
        """Constructor arguments read off the training data: its example shape, and the
        classes of a conditional model. A model whose data is not examples (a recommender's
        users and items) overrides this."""
        arguments = {"data_shape": dataset.data_shape}
        if cls.conditional:
            if dataset.y is None:
                raise ValueError(
                    f"{cls.registry_name} is conditional and needs a labelled dataset (e.g. mnist); "
                    f"'{dataset.name}' has no labels.")
            arguments["num_classes"] = dataset.num_classes
        return arguments

    def check_fit_batch(self, batch_size, replicas=1):
        """Refuse, before training starts, a fit batch of `batch_size` examples over `replicas`
        that this model cannot split (a packed discriminator's minibatches); nothing by default."""

    def prepare(self, dataset):
        """Set what the model keeps of its training data before training (a recommender's
        catalogue); nothing by default."""

    @property
    def reads_labels(self):
        """Whether fit batches are (x, y) rather than x: a model conditioned on classes."""
        return bool(getattr(self, "num_classes", None))

    @property
    def is_image(self):
        return len(self.data_shape) == 3

    def to_data_units(self, x):
        """Model-range outputs -> data units: images in [0, 1], vectors unchanged."""
        return from_model_range(x, self.is_image)

    # ------------------------------------------------------------------ optimizers
    def default_optimizers(self):
        """{role: optimizer} with the paper's settings. Subclasses override."""
        return {role: keras.optimizers.Adam(2e-4, beta_1=0.5) for role in self.optimizer_roles}

    def role_variables(self, role):
        """Trainable variables of the networks the `role` optimizer updates."""
        variables = []
        for network_name in self.optimizer_roles[role]:
            variables.extend(getattr(self, network_name).trainable_variables)
        return variables

    def compile(self, optimizers=None, jit_compile=False, **kwargs):
        """Configure training.

        Args:
            optimizers: dict role -> `keras.optimizers.Optimizer` (or its config/name). Roles
                left out get the paper's default. Known roles: see `optimizer_roles`.
            jit_compile: bool. Compile the train step with XLA. Off by default: it is no
                faster for convolutional GANs on CPU and fails under MirroredStrategy on
                logical CPU devices; measure before turning it on (benchmarks/throughput.py).
            **kwargs: passed to `keras.Model.compile` (e.g. steps_per_execution, run_eagerly).
        """
        optimizers = dict(optimizers or {})
        unknown = set(optimizers) - set(self.optimizer_roles)
        if unknown:
            raise ValueError(
                f"Unknown optimizer role(s) {sorted(unknown)} for {type(self).__name__}; "
                f"its roles are {list(self.optimizer_roles)}."
            )
        defaults = self.default_optimizers()
        resolved = {
            role: keras.optimizers.get(optimizers[role]) if role in optimizers else defaults[role]
            for role in self.optimizer_roles
        }
        # optimizer=None: a bare super().compile() would build an unused RMSprop (§8).
        super().compile(optimizer=None, jit_compile=jit_compile, **kwargs)
        mixed_float16 = keras.mixed_precision.global_policy().name == "mixed_float16"
        with self.distribute_strategy.scope():
            for role, optimizer in resolved.items():
                if mixed_float16 and not isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
                    # Keras wraps only self.optimizer; every role needs its own loss scale.
                    optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
                # Build slots now: created lazily inside a distributed step they fail.
                optimizer.build(self.role_variables(role))
                resolved[role] = optimizer
        self.role_optimizers = resolved
        self._jit_compile_setting = jit_compile

    def get_compile_config(self):
        if not self.role_optimizers:
            return None
        return {
            "optimizers": {
                role: keras.optimizers.serialize(_inner_optimizer(optimizer))
                for role, optimizer in self.role_optimizers.items()
            },
            "jit_compile": bool(getattr(self, "_jit_compile_setting", False)),
        }

    def compile_from_config(self, config):
        if not config:
            return
        optimizers = {
            role: keras.optimizers.deserialize(optimizer_config)
            for role, optimizer_config in config["optimizers"].items()
        }
        self.compile(optimizers=optimizers, jit_compile=config.get("jit_compile", False))

    # ------------------------------------------------------------------ training helpers
    def minimize(self, role, loss_fn):
        """One gradient step of `role`'s optimizer on the scalar returned by `loss_fn()`.

        `loss_fn` returns a scalar (the mean over this replica's batch) or a pair
        (scalar, {term name: scalar}). The gradient is taken of loss / num_replicas, because
        gradients are SUM-reduced across replicas, and of the optimizer's scaled loss under
        mixed_float16. Only the role's own variables are updated. Returns what `loss_fn`
        returned (unscaled), for tracking.
        """
        variables = self.role_variables(role)
        with tf.GradientTape() as tape:
            result = loss_fn()
            scaled_loss = self.scaled_loss(role, result[0] if isinstance(result, tuple) else result)
        self.role_optimizers[role].apply(gradients(tape, scaled_loss, variables), variables)
        return result

    def scaled_loss(self, role, loss):
        """`loss` as `role`'s gradient must be taken of it (inside the tape): divided by the
        replicas in sync (gradients are SUM-reduced across replicas) and multiplied by the
        role optimizer's loss scale (mixed_float16)."""
        num_replicas, _ = num_replicas_and_id()
        return self.role_optimizers[role].scale_loss(loss / num_replicas)

    def minimize_each(self, loss_fn, combine=None):
        """One forward pass, several players: each role descends its OWN loss.

        `loss_fn()` returns ({objective: scalar loss}, {term name: scalar}), an objective being
        a role or a key of `objective_roles`. Each objective's gradient is taken of its own loss
        w.r.t. its role's variables only (VAE-GAN: the encoder, decoder and discriminator
        objectives share one forward pass), all from one tape, before any update is applied.
        Scaling for replicas and mixed precision is as in `minimize`.

        `combine`, if given, receives {objective: gradients} (this replica's, as the tape gave
        them) and returns the {role: gradients} to apply, or a pair ({role: gradients},
        {term name: scalar}) whose terms join the returned ones: the place to rewrite the
        gradients of variables that several objectives train (UnifiedAEGAN: PCGrad on the
        shared network, and the gradient statistics it logs).
        Returns what `loss_fn` returned (unscaled), plus any terms of `combine`.
        """
        role_gradients, (role_losses, terms) = self.gradients_each(loss_fn, combine)
        self.apply_each(role_gradients)
        return role_losses, terms

    def gradients_each(self, loss_fn, combine=None):
        """The first half of `minimize_each`: ({role: gradients}, (losses, terms)), nothing
        applied yet, for a step that updates hand-set state (GAIA's balanced learning rates)
        between the objectives and the updates."""
        role_of = lambda objective: self.objective_roles.get(objective, objective)  # noqa: E731
        with tf.GradientTape(persistent=True) as tape:
            role_losses, terms = loss_fn()
            scaled = {name: self.scaled_loss(role_of(name), loss) for name, loss in role_losses.items()}
        updates = {name: gradients(tape, loss, self.role_variables(role_of(name)))
                   for name, loss in scaled.items()}
        del tape
        if combine is not None:
            updates, combined_terms = loss_and_terms(combine(updates))
            terms = {**terms, **combined_terms}
        for role in updates:
            if role not in self.role_optimizers:
                raise ValueError(
                    f"{type(self).__name__}.minimize_each got gradients for {role!r}, which is not an "
                    f"optimizer role ({list(self.optimizer_roles)}): objectives that train another "
                    "role's variables need a `combine` that merges them into that role's update."
                )
        return updates, (role_losses, terms)

    def apply_each(self, role_gradients):
        """The second half of `minimize_each`: each role's optimizer applies its gradients."""
        for role, grads in role_gradients.items():
            self.role_optimizers[role].apply(grads, self.role_variables(role))

    def end_step(self, **values):
        """Advance the step counter, update trackers and return the logs."""
        self.advance_step()
        return self.track(**values)

    # ------------------------------------------------------------------ batches and labels
    split_batch = staticmethod(split_batch)

    def one_hot(self, labels, width=None):
        """Integer class labels -> one-hot rows over `width` (default `self.num_classes`)."""
        return ops.one_hot(ops.cast(ops.reshape(labels, [-1]), "int32"), width or self.num_classes)

    # ------------------------------------------------------------------ metrics
    @property
    def metrics(self):
        return list(self._trackers.values())

    def track(self, **values):
        """Update the named Mean trackers and return {name: running mean}."""
        for name, value in values.items():
            if name not in self._trackers:
                raise KeyError(f"{type(self).__name__} does not track {name!r}; add it to metric_names.")
            self._trackers[name].update_state(value)
        logs = {name: tracker.result() for name, tracker in self._trackers.items()}
        if in_multi_worker_mode():
            # Keras 3.15 reduces a multi-worker step's logs with strategy.reduce(MEAN, axis=0),
            # which rejects scalars; as [1] vectors they reduce to the same scalar mean.
            logs = {name: ops.reshape(value, [1]) for name, value in logs.items()}
        return logs

    # ------------------------------------------------------------------ fit
    def fit(self, x=None, *args, finish_training=True, **kwargs):
        """`keras.Model.fit` between `begin_training(x)` and `finish_training(x)`.

        `finish_training=False`: more `fit` calls follow (a run trained in segments, e.g. a
        resumed one), whose caller calls `finish_training` once at the end.
        """
        if not self.role_optimizers:
            raise RuntimeError(
                f"{type(self).__name__} must be compiled before fit: call model.compile() "
                "(no arguments needed: every role gets the paper's optimizer)."
            )
        if isinstance(x, tf.data.Dataset) and x.options().autotune.enabled is None:
            # Keras destroys the input iterator when fit (or an epoch of a finite data set)
            # ends, which with autotuning on waits for the autotuner's next wake-up
            # (data/tf_options.py); a user who asked for autotuning keeps it.
            x = without_autotune(x)
        if isinstance(x, (tf.data.Dataset, tf.distribute.DistributedDataset)):
            # A tf.data pipeline shuffles itself (make_pipeline does); Keras' shuffle=True
            # default would only warn that it ignores the dataset.
            kwargs.setdefault("shuffle", False)
        self.begin_training(x)
        history = super().fit(x, *args, **kwargs)
        if finish_training:
            self.finish_training(x)
        return history

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        # Under a tf.distribute strategy Keras 3.15 learns the input shapes by drawing a batch
        # from a NEW iterator of the training data; a seeded pipeline that reshuffles on every
        # iterator then trains on another order than on one device (and than a resumed run).
        # The data's element spec says the same without touching it.
        if iterator is not None and data_batch is None:
            spec = _local_element_spec(iterator)
            if spec is not None:
                iterator = None
                data_batch = tf.nest.map_structure(
                    lambda s: tf.zeros([d or 1 for d in s.shape], s.dtype), spec)
        return super()._maybe_symbolic_build(iterator=iterator, data_batch=data_batch)

    def begin_training(self, data):
        """Called with the fit data before training: a pass over the data the model needs
        first (LatentClusters' k-means, once). Nothing by default."""

    def finish_training(self, data):
        """Called with the fit data once training ends: optimizers created with use_ema=True
        hold weight averages, swapped in here; subclasses add passes over the data (the
        ex-post code density)."""
        for role, optimizer in self.role_optimizers.items():
            optimizer.finalize_variable_values(self.role_variables(role))

    # ------------------------------------------------------------------ config
    @classmethod
    def network_names(cls):
        """Attribute names of the networks the optimizer roles update."""
        return sorted({name for names in cls.optimizer_roles.values() for name in names})

    @classmethod
    def config_keys(cls):
        """Constructor argument names: each is stored on the model under its own name.

        A parent's argument that a subclass sets itself (listed in the subclass's
        `derived_arguments`, e.g. WGAN's `critic_steps` -> GAN's `discriminator_steps`) is
        not part of the subclass's config.
        """
        names, derived = [], set()
        for klass in cls.__mro__:
            derived.update(vars(klass).get("derived_arguments", ()))
            if klass is StepNoise or klass is keras.Model:  # the core, not model arguments
                break
            for parameter in inspect.signature(klass.__init__).parameters.values():
                if parameter.kind is parameter.POSITIONAL_OR_KEYWORD and parameter.name != "self":
                    if parameter.name not in names:
                        names.append(parameter.name)
        return [name for name in names if name not in derived]

    def get_config(self):
        config = {"name": self.name, "trainable": self.trainable}
        for key in self.config_keys():
            value = getattr(self, key)
            if isinstance(value, keras.layers.Layer):
                value = keras.saving.serialize_keras_object(value)
            config[key] = value
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key, value in config.items():
            if isinstance(value, dict) and "class_name" in value and "config" in value:
                config[key] = keras.saving.deserialize_keras_object(value)
        return cls(**config)

    # ------------------------------------------------------------------ what the model shows and serves
    #: columns of the grid `preview` is laid out in (None: a square grid)
    preview_columns = None

    def preview(self, num_samples=None, seed=1234):
        """What the model shows of itself: the sample grids written during training, the
        TensorBoard images, and the outputs the save/load checks compare. Examples in data
        units (images in [0, 1], or points), row-major in a grid of `preview_columns`.

        Models that map noise to data show `sample(num_samples, seed)` (labels cycling through
        the classes of a conditional model); a model without a sampler (a translation model,
        a recommender) overrides this. `num_samples` defaults to 64 images or 1,000 points.
        """
        num_samples = num_samples or (64 if self.is_image else 1000)
        labels = np.arange(num_samples) % self.sample_label_count if self.sample_label_count else None
        return np.asarray(self.sample(num_samples, seed=seed, labels=labels))

    def prepare_preview(self, data):
        """Called by `training.train` with the fit data before training: a model whose preview
        shows inputs (a translation model) keeps a few of them. Nothing by default."""

    @property
    def sample_label_count(self):
        """How many values `sample(labels=...)` takes (0..count-1): a conditional model's
        classes, InfoGAN's first categorical code; 0 for a model that samples without labels."""
        return getattr(self, "num_classes", None) or 0

    def serving_endpoints(self):
        """{signature name: (tf.function-able callable, [tf.TensorSpec, ...])} for export."""
        return {}
