"""PNG figures of samples (image grids, 2D scatter plots, heat maps) and of training curves,
written atomically."""

import math

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from keras_gans.io_utils import atomic_path

# Figures are built with matplotlib's object API (Figure renders through Agg by itself), not
# pyplot: headless on servers and CI without switching the backend of a running notebook.


def image_grid(images, columns=None):
    """(N, H, W, C) images in [0, 1] -> one (rows*H, columns*W, C) mosaic, blank-padded."""
    images = np.clip(np.asarray(images, dtype=np.float32), 0.0, 1.0)
    n, h, w, c = images.shape
    columns = columns or math.ceil(math.sqrt(n))
    rows = math.ceil(n / columns)
    grid = np.ones((rows * h, columns * w, c), np.float32)
    for i, image in enumerate(images):
        r, col = divmod(i, columns)
        grid[r * h:(r + 1) * h, col * w:(col + 1) * w] = image
    return grid


def save_image_grid(images, path, columns=None, title=None):
    """Save (N, H, W, C) images in [0, 1] as a PNG mosaic."""
    grid = image_grid(images, columns)
    fig = Figure(figsize=(6, 6 * grid.shape[0] / grid.shape[1]))
    ax = fig.subplots()
    ax.imshow(grid[..., 0] if grid.shape[-1] == 1 else grid, cmap="gray", vmin=0, vmax=1)
    ax.axis("off")
    if title:
        ax.set_title(title)
    _save(fig, path)


def save_scatter(points, path, reference=None, title=None):
    """Save (N, 2) points as a scatter PNG, over `reference` points (e.g. mixture modes)."""
    points = np.asarray(points)
    fig = Figure(figsize=(5, 5))
    ax = fig.subplots()
    ax.scatter(points[:, 0], points[:, 1], s=2, alpha=0.4, label="samples")
    if reference is not None:
        ax.scatter(reference[:, 0], reference[:, 1], s=40, c="red", marker="x", label="modes")
        ax.legend(loc="upper right")
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)
    _save(fig, path)


def save_heatmap(rows, path, title=None, xlabel="item", ylabel="user"):
    """Save an (N, M) matrix (a recommender's scores of every item for N users) as a heat map."""
    rows = np.asarray(rows, dtype=np.float32)
    fig = Figure(figsize=(8, max(2.0, 8 * rows.shape[0] / max(rows.shape[1], 1) + 1)))
    ax = fig.subplots()
    image = ax.imshow(rows, aspect="auto", cmap="viridis", interpolation="nearest")
    fig.colorbar(image, ax=ax)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    _save(fig, path)


def save_samples(samples, path, reference=None, title=None, columns=None):
    """Image grid (of `columns`, None: square) for rank-4 samples, scatter plot for (N, 2)
    points, heat map for wider rows (a recommender's scores)."""
    if np.ndim(samples) == 4:
        save_image_grid(samples, path, columns=columns, title=title)
    elif np.shape(samples)[-1] == 2:
        save_scatter(samples, path, reference=reference, title=title)
    else:
        save_heatmap(samples, path, title=title)


def save_loss_curves(history, path, title=None):
    """Save a run's per-epoch logs ({name: [value per epoch]}, as `History.history` or
    history.csv hold them) as one panel per logged quantity, so losses of different scales
    stay readable."""
    names = [name for name, values in history.items() if name != "epoch" and len(values)]
    if not names:
        raise ValueError("history holds no logged quantity to plot.")
    columns = min(3, len(names))
    rows = math.ceil(len(names) / columns)
    fig = Figure(figsize=(4 * columns, 2.6 * rows), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, columns, squeeze=False)).ravel()
    for ax, name in zip(axes, names):
        values = np.asarray(history[name], dtype=np.float64)
        ax.plot(np.arange(1, len(values) + 1), values, marker="." if len(values) < 30 else None)
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("epoch", fontsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.tick_params(labelsize=7)
    for ax in axes[len(names):]:
        ax.axis("off")
    if title:
        fig.suptitle(title)
    _save(fig, path)


def _save(fig, path):
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", bbox_inches="tight", dpi=100)
