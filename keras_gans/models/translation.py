"""TranslationModel: two image domains, a generator each way, a discriminator per domain."""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from keras_gans.components.packing import PackedInputs
from keras_gans.data.pipeline import to_model_range
from keras_gans.models.base import GenerativeModel

#: the two directions a translation model maps, as `translate` and the CLI name them
DIRECTIONS = ("a_to_b", "b_to_a")


def check_direction(direction):
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, got {direction!r}.")
    return direction


class TranslationModel(PackedInputs, GenerativeModel):
    """Shared plumbing of the unpaired translation models (not registered itself).

    Domain A holds examples of `data_shape`, domain B of `data_shape_b` (the same height and
    width; the channel counts may differ). G_AB (`generator_ab`) maps A to B, G_BA
    (`generator_ba`) maps B to A, D_A and D_B (`discriminator_a`, `discriminator_b`) judge
    each domain. One optimizer trains both generators and one both discriminators (the
    papers' code chains their parameters). No prior: the model shows translation triplets
    (input | translation | cycle) of fixed inputs of each domain and serves both directions.

    A fit batch is (x_a, x_b), unpaired images of each domain in the model's range, or
    ((x_a, y_a), (x_b, y_b)): labels are kept for evaluation only and ignored here.
    Subclasses build the default networks and write the objectives and `train_step`.

    Args:
        data_shape: tuple. (H, W, C_A) of domain A.
        data_shape_b: tuple or None. (H, W, C_B) of domain B; None takes `data_shape`.
        base_filters: int. Filters of the default networks' outermost layer.
        learning_rate: float. Adam rate (beta_1 = 0.5) of both optimizers.
        packing: int. PacGAN's m (Lin et al. 2018, arXiv:1712.04086): D_A and D_B judge packs
            of m images of their domain, all real or all translated, stacked along channels;
            only their input layers widen, and a batch of B images makes B / m packs.
            Defaults to 1 (off).
        generator_ab, generator_ba, discriminator_a, discriminator_b: keras.Model or None.
            Networks to use instead of the defaults; generators output tanh images.
        seed: int. Seed of the training noise. Defaults to 0.
    """

    optimizer_roles = {"generator": ("generator_ab", "generator_ba"),
                       "discriminator": ("discriminator_a", "discriminator_b")}
    data_domains = 2
    #: each preview row: input | translation | cycle
    preview_columns = 3
    #: fixed inputs of each domain the preview shows (kept with the model)
    preview_count = 8

    def __init__(self, data_shape, data_shape_b=None, base_filters=32, learning_rate=2e-4, packing=1,
                 generator_ab=None, generator_ba=None, discriminator_a=None, discriminator_b=None,
                 seed=0, **kwargs):
        super().__init__(data_shape=data_shape, seed=seed, **kwargs)
        self.set_packing(packing)
        self.data_shape_b = tuple(int(d) for d in data_shape_b) if data_shape_b else self.data_shape
        if len(self.data_shape) != 3 or self.data_shape_b[:-1] != self.data_shape[:-1]:
            raise ValueError(
                f"{type(self).__name__} translates between images of one size: domain A is "
                f"{self.data_shape}, domain B {self.data_shape_b}. Resize one domain to the "
                "other's height and width (the channel counts may differ)."
            )
        self.base_filters = int(base_filters)
        self.learning_rate = float(learning_rate)
        # A fixed creation order (see CONTRIBUTING.md): discriminators, then generators.
        self.discriminator_a = discriminator_a or self.build_discriminator(self.discriminator_input_shape("a"))
        self.discriminator_b = discriminator_b or self.build_discriminator(self.discriminator_input_shape("b"))
        self.generator_ab = generator_ab or self.build_generator(self.data_shape, self.data_shape_b[-1])
        self.generator_ba = generator_ba or self.build_generator(self.data_shape_b, self.data_shape[-1])
        self._check_networks()
        self.preview_inputs_a = self.add_weight(
            shape=(self.preview_count, *self.data_shape), initializer="zeros", trainable=False,
            name="preview_inputs_a")
        self.preview_inputs_b = self.add_weight(
            shape=(self.preview_count, *self.data_shape_b), initializer="zeros", trainable=False,
            name="preview_inputs_b")

    # ------------------------------------------------------------------ networks
    def build_generator(self, input_shape, output_channels):
        raise NotImplementedError

    def build_discriminator(self, image_shape):
        raise NotImplementedError

    def domain_shape(self, domain):
        return self.data_shape if domain == "a" else self.data_shape_b

    def discriminator_input_shape(self, domain="a"):
        """Shape of one input of D_A or D_B: an image of the domain, or a pack of `packing`."""
        return super().discriminator_input_shape(self.domain_shape(domain))

    def judge_a(self, x):
        """D_A's outputs (training mode) on images of domain A, packed when `packing` > 1."""
        return self.discriminator_a(self.pack_examples(x), training=True)

    def judge_b(self, x):
        """D_B's outputs (training mode) on images of domain B, packed when `packing` > 1."""
        return self.discriminator_b(self.pack_examples(x), training=True)

    def _check_networks(self):
        def shapes(tensors):
            return [tuple(t.shape[1:]) for t in tensors]

        for name, source, target in (("generator_ab", "a", "b"), ("generator_ba", "b", "a")):
            network = getattr(self, name)
            expected = ([self.domain_shape(source)], [self.domain_shape(target)])
            found = (shapes(getattr(network, "inputs", None) or []), shapes(getattr(network, "outputs", None) or []))
            if found[0] and found != expected:
                raise ValueError(
                    f"{type(self).__name__}'s {name} must map {expected[0][0]} (domain "
                    f"{source.upper()}) to {expected[1][0]} (domain {target.upper()}); the network "
                    f"passed maps {found[0]} to {found[1]}."
                )
        for name, domain in (("discriminator_a", "a"), ("discriminator_b", "b")):
            inputs = getattr(getattr(self, name), "inputs", None)
            if inputs and shapes(inputs) != [self.discriminator_input_shape(domain)]:
                raise ValueError(
                    f"{type(self).__name__}'s {name} must take images of {self.discriminator_input_shape(domain)} "
                    f"(domain {domain.upper()}{f', packs of {self.packing}' if self.packing > 1 else ''}); "
                    f"the network passed takes {shapes(inputs)}."
                )

    def default_optimizers(self):
        return {role: keras.optimizers.Adam(self.learning_rate, beta_1=0.5) for role in self.optimizer_roles}

    # ------------------------------------------------------------------ batches
    @staticmethod
    def split_domains(data):
        """A fit batch (x_a, x_b) or ((x_a, y_a), (x_b, y_b)) -> (x_a, x_b)."""
        if not (isinstance(data, (tuple, list)) and len(data) == 2):
            raise ValueError(
                "A translation model trains on batches of (x_a, x_b), unpaired images of the two "
                "domains: build the input with keras_gans.data.make_domain_pipeline(data_a, data_b, "
                "batch_size) or zip two datasets."
            )
        return tuple(x[0] if isinstance(x, (tuple, list)) else x for x in data)

    # ------------------------------------------------------------------ inference API (data units)
    def checked_input(self, x, direction):
        """Images of the source domain of `direction`, in data units, as a float32 tensor."""
        source = check_direction(direction)[0]
        shape = self.domain_shape(source)
        x = ops.convert_to_tensor(x, "float32")
        if tuple(x.shape[1:]) != shape:
            raise ValueError(
                f"{type(self).__name__} translates {direction} images shaped (N, "
                f"{', '.join(map(str, shape))}) (domain {source.upper()}), got {tuple(x.shape)}."
            )
        return x

    def _mapped(self, x_model, direction):
        generator = self.generator_ab if direction == "a_to_b" else self.generator_ba
        return generator(x_model, training=False)

    def translate(self, x, direction="a_to_b"):
        """G_AB(x) ("a_to_b") or G_BA(x) ("b_to_a") of images in [0, 1], in [0, 1]."""
        x = self.checked_input(x, direction)
        return self.to_data_units(self._mapped(to_model_range(x), direction))

    def translate_with_cycle(self, x, direction="a_to_b"):
        """(translation, cycle): G_AB(x) and G_BA(G_AB(x)) for "a_to_b", in [0, 1]."""
        x = self.checked_input(x, direction)
        translated = self._mapped(to_model_range(x), direction)
        back = "b_to_a" if direction == "a_to_b" else "a_to_b"
        return self.to_data_units(translated), self.to_data_units(self._mapped(translated, back))

    # ------------------------------------------------------------------ what the model shows and serves
    def set_preview_inputs(self, x_a, x_b):
        """Keep the first `preview_count` images of each domain (data units, repeated when
        fewer are given) as the inputs every preview translates."""
        for variable, x, domain in ((self.preview_inputs_a, x_a, "a"), (self.preview_inputs_b, x_b, "b")):
            x = np.asarray(x, np.float32)
            if x.ndim != 4 or tuple(x.shape[1:]) != self.domain_shape(domain) or not len(x):
                raise ValueError(f"Preview inputs of domain {domain.upper()} must be shaped "
                                 f"(N, {', '.join(map(str, self.domain_shape(domain)))}), got {x.shape}.")
            variable.assign(x[np.arange(self.preview_count) % len(x)])

    def prepare_preview(self, data):
        """Keep the first images of each domain of the fit data (a tf.data pipeline of
        model-range batches) as the preview inputs."""
        x_a, x_b = self.split_domains(next(iter(data)))
        self.set_preview_inputs(self.to_data_units(np.asarray(x_a)), self.to_data_units(np.asarray(x_b)))

    def preview(self, num_samples=None, seed=1234):
        """Rows of input | translation | cycle for `num_samples` (default and at most
        `preview_count`) fixed inputs of domain A, then as many of domain B; images in [0, 1],
        grayscale repeated to RGB when the domains' channel counts differ. `seed` is unused:
        a translation is deterministic."""
        count = min(num_samples or self.preview_count, self.preview_count)
        channels = max(self.data_shape[-1], self.data_shape_b[-1])
        rows = []
        for direction, inputs in (("a_to_b", self.preview_inputs_a), ("b_to_a", self.preview_inputs_b)):
            x = np.asarray(inputs)[:count]
            translated, cycled = (np.asarray(t) for t in self.translate_with_cycle(x, direction))
            triplets = np.stack([np.repeat(image, channels // image.shape[-1], axis=-1)
                                 for image in (x, translated, cycled)], axis=1)
            rows.append(triplets.reshape(-1, *triplets.shape[2:]))
        return np.concatenate(rows)

    def serving_endpoints(self):
        """serving_default and translate_a_to_b: x (domain A) -> {"translations"};
        translate_b_to_a: x (domain B) -> {"translations"}; images in [0, 1]."""
        def endpoint(direction):
            shape = self.domain_shape(direction[0])
            spec = tf.TensorSpec([None, *shape], tf.float32, name="x")
            return (lambda x: {"translations": self.translate(x, direction)}), [spec]

        return {"serving_default": endpoint("a_to_b"), "translate_a_to_b": endpoint("a_to_b"),
                "translate_b_to_a": endpoint("b_to_a")}
