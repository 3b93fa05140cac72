"""Feature matching: distances between a network's features of real and generated data.

Three forms, all in float32:
- pairwise (a reconstruction in feature space): mean_i ||f(x_i) - f(x'_i)||^2, the feature
  term of VAE/GAN-style objectives (Larsen et al. 2016; Bao et al. 2017, eq. 9);
- mean (Salimans et al. 2016, section 3.1): ||mean_i f(x_i) - mean_j f(x_p,j)||^2;
- class-wise mean (Bao et al. 2017, eq. 7): sum_c ||mean_{i: y_i = c} f(x_i)
  - mean_{j: y_p,j = c} f(x_p,j)||^2, a class absent from either batch contributing 0.

The two mean forms are statistics of the whole batch. Under a distribution strategy pass
`all_reduce_sum` (a callable summing a tensor over replicas, differentiable, e.g.
`ReplicaContext.all_reduce` with SUM) so the means are those of the global batch and N
replicas compute exactly what one device computes.
"""

from keras import ops

from keras_gans.losses._common import _f32
from keras_gans.losses.reconstruction import per_example_error


def _flat(features):
    features = _f32(features)
    return ops.reshape(features, [ops.shape(features)[0], -1])


def _identity(value):
    return value


def pairwise_feature_matching_loss(real_features, fake_features):
    """mean_i ||f(x_i) - f(x'_i)||^2: squared feature distance of each pair, batch mean.

    Reference: Bao et al. 2017, eq. 9 (arXiv:1703.10155); Larsen et al. 2016 (arXiv:1512.09300).
    """
    return ops.mean(per_example_error(real_features, fake_features, norm="l2", reduction="sum"))


def _batch_mean(features, all_reduce_sum):
    features = _flat(features)
    total = all_reduce_sum(ops.sum(features, axis=0))
    count = all_reduce_sum(ops.cast(ops.shape(features)[0], "float32"))
    return total / count


def mean_feature_matching_loss(real_features, fake_features, all_reduce_sum=None):
    """||mean_i f(x_i) - mean_j f(x_p,j)||^2 (the batches may differ in size).

    Reference: Salimans et al. 2016, section 3.1 (arXiv:1606.03498); Bao et al. 2017, eq. 6.
    """
    reduce = all_reduce_sum or _identity
    difference = _batch_mean(real_features, reduce) - _batch_mean(fake_features, reduce)
    return ops.sum(ops.square(difference))


def _class_means(features, one_hot, all_reduce_sum):
    """(per-class feature means [K, F], per-class counts [K])."""
    features, one_hot = _flat(features), _f32(one_hot)
    sums = all_reduce_sum(ops.matmul(ops.transpose(one_hot), features))
    counts = all_reduce_sum(ops.sum(one_hot, axis=0))
    return sums / ops.maximum(counts, 1.0)[:, None], counts


def class_mean_feature_matching_loss(real_features, fake_features, real_one_hot, fake_one_hot,
                                     all_reduce_sum=None):
    """sum_c ||mean_{i: y_i = c} f(x_i) - mean_{j: y_p,j = c} f(x_p,j)||^2.

    Classes with no example in the real or in the generated batch contribute 0.
    Reference: Bao et al. 2017, eq. 7 (arXiv:1703.10155).
    """
    reduce = all_reduce_sum or _identity
    real_means, real_counts = _class_means(real_features, real_one_hot, reduce)
    fake_means, fake_counts = _class_means(fake_features, fake_one_hot, reduce)
    present = ops.cast((real_counts > 0) & (fake_counts > 0), "float32")
    return ops.sum(present * ops.sum(ops.square(real_means - fake_means), axis=1))
