"""Mode coverage of samples from a known Gaussian mixture (2D ring / grid).

The protocol of PacGAN (Lin, Khetan, Fanti and Oh, 2018, "PacGAN: The power
of two samples in generative adversarial networks", arXiv:1712.04086), which
follows VEEGAN (Srivastava et al., 2017, arXiv:1705.07761):

- every sample is assigned to its nearest mode (mixture mean);
- a sample is *high quality* if it lies within `num_std` standard deviations
  of that mode: ||x - mu_k|| <= num_std * std (num_std = 3 in both papers);
- a mode is *captured* if at least one high-quality sample is assigned to it;
- *reverse KL* is KL(p_gen || p_true) between the generated distribution over
  modes and the true one (uniform, 1/K), p_gen being the normalised histogram
  of the **high-quality** samples' modes.

Which samples enter the reverse-KL histogram: the paper's text does not say it
in so many words; the authors' code (github.com/fjxmlzn/PacGAN,
`synthetic_data_experiments/PacGAN/pacgan/extensions.py`, `MetricLogger`)
counts a sample in its nearest mode's bin only when it is within the 3-std
threshold, and derives its divergences (entropy, JSD against uniform) from
that histogram; KL(p || uniform) = log K - H(p). We follow the code. Because
p_gen is on the left, a missing mode contributes 0 log 0 = 0, so no epsilon
is needed: a generator that puts every good sample on one mode scores log K,
the maximum. With no high-quality sample at all p_gen is undefined and
"reverse_kl" is NaN. "reverse_kl_all_samples" gives the same divergence over
all samples' nearest modes, which is always defined.
"""

import numpy as np

__all__ = ["kl_to_uniform", "mode_coverage"]


def mode_coverage(samples, modes, std, num_std=3.0):
    """PacGAN / VEEGAN mode-coverage statistics of samples from a Gaussian mixture.

    Args:
        samples: array (N, D). Generated points.
        modes: array (K, D). Means of the K equally weighted mixture components.
        std: float > 0. Standard deviation of every (isotropic) component (sigma).
        num_std: float > 0. High-quality radius in units of `std`. Defaults to 3.0,
            as in VEEGAN and PacGAN.

    Returns:
        dict with
          "modes_captured": int, modes with at least one high-quality sample;
          "num_modes": int, K;
          "high_quality_fraction": float, fraction of samples within num_std * std
              of their nearest mode;
          "reverse_kl": float, KL(p_gen || uniform) over the high-quality samples'
              modes (NaN when there is none), see the module docstring;
          "reverse_kl_all_samples": float, the same over all samples' nearest modes;
          "mode_counts": list of K ints, high-quality samples per mode.

    Example:
        >>> modes = np.array([[1.0, 0.0], [-1.0, 0.0]])
        >>> mode_coverage(modes.repeat(5, axis=0), modes, std=0.05)["modes_captured"]
        2
    """
    samples = np.asarray(samples, dtype=np.float64)
    modes = np.asarray(modes, dtype=np.float64)
    if modes.ndim != 2 or modes.shape[0] < 1:
        raise ValueError(
            f"modes must have shape (num_modes, dim) with num_modes >= 1, got {modes.shape}."
        )
    if samples.ndim != 2 or samples.shape[1] != modes.shape[1]:
        raise ValueError(
            f"samples must have shape (num_samples, {modes.shape[1]}) to match modes of shape "
            f"{modes.shape}, got {samples.shape}."
        )
    if samples.shape[0] == 0:
        raise ValueError("samples is empty; pass at least one generated point.")
    if not np.all(np.isfinite(samples)):
        raise ValueError("samples contain NaN or inf; the generator has probably diverged.")
    if not np.isscalar(std) and np.ndim(std) != 0:
        raise ValueError(f"std must be a scalar (isotropic components), got shape {np.shape(std)}.")
    std = float(std)
    if not std > 0 or not num_std > 0:
        raise ValueError(f"std and num_std must be positive, got std={std}, num_std={num_std}.")

    num_modes = modes.shape[0]
    # Squared distances (N, K) without an (N, K, D) intermediate.
    sq_dist = (
        np.sum(samples**2, axis=1, keepdims=True)
        - 2.0 * samples @ modes.T
        + np.sum(modes**2, axis=1)
    )
    nearest = np.argmin(sq_dist, axis=1)
    # Exact distance to the chosen mode (the expansion above loses precision far away).
    nearest_dist = np.linalg.norm(samples - modes[nearest], axis=1)
    high_quality = nearest_dist <= num_std * std

    mode_counts = np.bincount(nearest[high_quality], minlength=num_modes)
    all_counts = np.bincount(nearest, minlength=num_modes)
    return {
        "modes_captured": int(np.count_nonzero(mode_counts)),
        "num_modes": int(num_modes),
        "high_quality_fraction": float(np.mean(high_quality)),
        "reverse_kl": kl_to_uniform(mode_counts),
        "reverse_kl_all_samples": kl_to_uniform(all_counts),
        "mode_counts": [int(c) for c in mode_counts],
    }


def kl_to_uniform(counts):
    """KL(p || uniform) for the histogram `counts` (an array of K bin counts, uniform over all
    K bins); 0 log 0 = 0; NaN if empty."""
    total = counts.sum()
    if total == 0:
        return float("nan")
    p = counts[counts > 0] / total
    return float(max(np.sum(p * np.log(p * len(counts))), 0.0))
