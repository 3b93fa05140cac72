"""Measurable image attributes and latent attribute directions (GAIA, section 3.3).

Attributes of MNIST digits computed from the pixels: `ink_amount` (mean intensity),
`slant` (the shear of the ink: how far a stroke moves right per row upwards) and
`sharpness` (the variance of the Laplacian, a standard focus measure: blurry images have
little high-frequency energy). Directions in latent space that change an attribute:
`regression_directions` (ordinary least squares from codes to attributes, the paper's
choice) and `mean_difference_directions` (mean code of high minus low examples, the
common alternative it improves on). `edit_report` moves codes along a direction and
measures what changes.
"""

import numpy as np


def _pixels(images):
    images = np.asarray(images, np.float64)
    return images[..., 0] if images.ndim == 4 else images


def ink_amount(images):
    """Mean pixel intensity of each image (N,)."""
    return _pixels(images).mean(axis=(1, 2))


def slant(images):
    """Shear of the ink per image (N,): the regression slope of column on row, weighted by
    intensity, with rows counted upwards (positive = leaning right, like /)."""
    p = _pixels(images)
    rows = -np.arange(p.shape[1], dtype=np.float64)[None, :, None]  # upwards
    cols = np.arange(p.shape[2], dtype=np.float64)[None, None, :]
    mass = p.sum(axis=(1, 2)) + 1e-8
    mean_r = (p * rows).sum(axis=(1, 2)) / mass
    mean_c = (p * cols).sum(axis=(1, 2)) / mass
    dr = rows - mean_r[:, None, None]
    dc = cols - mean_c[:, None, None]
    return (p * dr * dc).sum(axis=(1, 2)) / ((p * dr * dr).sum(axis=(1, 2)) + 1e-8)


def sharpness(images):
    """Variance of the 4-neighbour Laplacian of each image (N,): higher = sharper."""
    p = _pixels(images)
    laplacian = (-4 * p[:, 1:-1, 1:-1] + p[:, :-2, 1:-1] + p[:, 2:, 1:-1]
                 + p[:, 1:-1, :-2] + p[:, 1:-1, 2:])
    return laplacian.reshape(len(p), -1).var(axis=1)


def regression_directions(codes, attributes):
    """OLS a = z W + b fitted on (codes (N, d), attributes (N, k)); returns W.T (k, d): row j
    is the direction whose unit step changes the predicted attribute j the most."""
    codes, attributes = np.asarray(codes, np.float64), np.asarray(attributes, np.float64)
    design = np.concatenate([codes, np.ones((len(codes), 1))], axis=1)
    coefficients, *_ = np.linalg.lstsq(design, attributes, rcond=None)
    return coefficients[:-1].T


def mean_difference_directions(codes, attributes):
    """Row j: mean code of examples above the median of attribute j minus the mean code of
    those at or below it (k, d)."""
    codes, attributes = np.asarray(codes, np.float64), np.asarray(attributes, np.float64)
    directions = []
    for column in attributes.T:
        high = column > np.median(column)
        if high.all() or not high.any():
            high = column > column.mean()
        directions.append(codes[high].mean(0) - codes[~high].mean(0))
    return np.stack(directions)


def edit_report(decode, codes, direction, attribute_fns, target, steps):
    """Move `codes` along the unit `direction` by each of `steps` (in code units), decode, and
    measure every attribute.

    Args:
        decode: callable codes -> images in [0, 1].
        codes: (N, d) starting codes. direction: (d,) (normalised here).
        attribute_fns: {name: callable images -> (N,) values}.
        target: the name of the attribute the direction is meant to change.
        steps: increasing step sizes, e.g. np.linspace(-2, 2, 5).

    Returns:
        dict with "curve" ({name: mean value per step}), "monotonic" (the target's mean
        rises at every step), "target_change" (last minus first) and "entanglement"
        ({other name: |change| / |target change|}, each in the attributes' own units).
    """
    unit = np.asarray(direction, np.float64)
    unit = unit / (np.linalg.norm(unit) + 1e-12)
    curve = {name: [] for name in attribute_fns}
    for step in steps:
        images = np.asarray(decode((codes + step * unit).astype(np.float32)))
        for name, fn in attribute_fns.items():
            curve[name].append(float(np.mean(fn(images))))
    change = {name: values[-1] - values[0] for name, values in curve.items()}
    target_change = change[target]
    return {
        "curve": curve,
        "monotonic": bool(np.all(np.diff(curve[target]) > 0)),
        "target_change": target_change,
        "entanglement": {name: abs(value) / (abs(target_change) + 1e-12)
                         for name, value in change.items() if name != target},
    }
