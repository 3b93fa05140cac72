"""PacGAN packing: the discriminator judges m samples of one kind at once.

Lin, Khetan, Fanti and Oh 2018, "PacGAN: The power of two samples in generative adversarial
networks" (arXiv:1712.04086), Sec. 3: the packed discriminator D(x_1, ..., x_m) sees m samples
that are either all real or all generated, concatenated along channels (images) or features
(vectors); only its input layer widens. A pack of m independent samples of a collapsed
generator is visibly less diverse than a pack of real data, which penalises mode collapse.

Packs are CONTIGUOUS groups of a minibatch: pack i holds examples i*m, ..., i*m + m - 1, and
member j's channels (or features) fill slots j*C, ..., j*C + C - 1 of the packed input. With
contiguous packs, a replica holding a contiguous slice of the global minibatch (as
tf.distribute gives it) forms exactly the packs one device forms from that slice, so N
replicas make the same update as one device whenever each replica's minibatch is a multiple
of m (the rule `check_divisible` enforces).
"""

import tensorflow as tf
from keras import ops


def checked_packing(packing):
    """`packing` as an int >= 1 (1: no packing), else a ValueError."""
    if isinstance(packing, bool) or int(packing) != packing or int(packing) < 1:
        raise ValueError(f"packing must be an integer >= 1 (1 = no packing, the default), got {packing!r}.")
    return int(packing)


def packed_shape(data_shape, packing):
    """Shape of one pack: (H, W, m * C) for images, (m * D,) for vectors (any rank: the last
    axis widens)."""
    data_shape = tuple(int(d) for d in data_shape)
    return (*data_shape[:-1], packing * data_shape[-1])


def pack(x, packing):
    """(n, *shape) examples -> (n / m, *shape[:-1], m * shape[-1]) packs of m consecutive ones.

    The identity for m = 1. `n` must be a multiple of m (see `check_divisible`).
    """
    if packing == 1:
        return x
    shape = tuple(x.shape[1:])
    grouped = ops.reshape(x, (-1, packing, *shape))  # (n/m, m, *shape)
    if len(shape) > 1:
        # bring the member axis beside the last one: (n/m, *shape[:-1], m, C)
        rank = len(shape)
        grouped = ops.transpose(grouped, (0, *range(2, rank + 1), 1, rank + 1))
    return ops.reshape(grouped, (-1, *shape[:-1], packing * shape[-1]))


def repeat_per_member(values, packing):
    """(n / m, ...) one value per pack -> (n, ...) the pack's value for each of its members."""
    if packing == 1:
        return values
    return ops.repeat(values, packing, axis=0)


def check_divisible(x, packing):
    """`x` (a minibatch), refused when m does not divide its size: at trace time when the size
    is static (a ValueError), else by an assertion in the graph that the returned tensor depends
    on, so that it runs before any op that packs it (an InvalidArgumentError). Both messages
    say how to fix the batch size."""
    if packing == 1:
        return x
    batch_size = ops.shape(x)[0]

    def message(got):
        return (f"packing={packing} splits each discriminator minibatch into packs of {packing} "
                f"examples, so the minibatch must be a multiple of {packing}; got {got}. Use a batch "
                f"size divisible by {packing} x discriminator steps x replicas (and keep "
                "drop_remainder=True).")

    static = tf.get_static_value(batch_size)
    if static is not None:
        if int(static) % packing:
            raise ValueError(message(f"{int(static)} examples"))
        return x
    # ops.shape gives a tensor here; the assertion must run before the reshape that packs x
    assertion = tf.debugging.assert_equal(tf.math.floormod(batch_size, packing), tf.zeros_like(batch_size),
                                          message=message("a minibatch that is not"))
    with tf.control_dependencies([assertion]):
        return tf.identity(x)


class PackedInputs:
    """Mixin of a model whose discriminators may judge packs: the `packing` option, the packed
    input shape, packing a minibatch, and the batch sizes packing can split.

    The model calls `set_packing(packing)` in its constructor before building its
    discriminators, builds each for `discriminator_input_shape(...)`, and passes every input of
    a discriminator through `pack_examples`. A subclass that cannot pack sets `packing_refused`
    (a `GenerativeModel` attribute) to the reason, said when a user asks for packing > 1.
    """

    def set_packing(self, packing):
        self.packing = checked_packing(packing)
        refused = getattr(self, "packing_refused", None)
        if self.packing > 1 and refused:
            raise ValueError(f"{type(self).__name__} cannot pack its discriminator's inputs "
                             f"(packing={self.packing}): {refused} Use packing=1.")

    def discriminator_input_shape(self, data_shape=None):
        """Shape of one discriminator input: an example of `data_shape` (default the model's),
        or a pack of `packing` of them."""
        return packed_shape(self.data_shape if data_shape is None else data_shape, self.packing)

    def pack_examples(self, x):
        """x's consecutive examples in packs of `packing` (unchanged without packing)."""
        return pack(check_divisible(x, self.packing), self.packing)

    def check_fit_batch(self, batch_size, replicas=1):
        """Refuse, before training, a fit batch whose per-replica discriminator minibatches
        `packing` does not divide (a fit batch holds `discriminator_steps` minibatches)."""
        discriminator_steps = getattr(self, "discriminator_steps", 1)
        if self.packing > 1 and batch_size % (self.packing * discriminator_steps * replicas):
            raise ValueError(
                f"packing={self.packing} needs each replica's discriminator minibatch to be a multiple "
                f"of {self.packing}: the batch of {batch_size} examples is {discriminator_steps} "
                f"minibatch(es) on {replicas} replica(s). Use a --batch-size divisible by "
                f"{self.packing * discriminator_steps * replicas} (packing x discriminator steps x replicas)."
            )
