"""Using a trained model on files: checked inputs, bounded batches, atomic outputs.

What `keras-gans sample`, `keras-gans reconstruct` and `keras-gans translate` do, as functions the Python API has too.
Inputs are checked against the model with messages that say what was wrong and what is
accepted; outputs are written to a temporary file and renamed, so a failure leaves nothing.
"""

import os
import shutil

import numpy as np

from keras_gans.io_utils import atomic_path, load_npy

#: examples drawn or transformed per pass: bounds memory for any --n
BATCH_SIZE = 1000
#: a PNG grid beyond this many images is unreadable: write .npy instead
MAX_GRID_IMAGES = 10_000


def load_array(path, what="--input"):
    """A .npy file as a numpy array (never unpickled), or a ValueError naming `what`."""
    path = str(path)
    if not path.endswith(".npy"):
        raise ValueError(f"{what} must be a .npy file, got {path!r}.")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{what} {path} does not exist.")
    return load_npy(path, what)


def save_array(array, path):
    """Write `array` as float32 .npy atomically."""
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as f:
            np.save(f, np.asarray(array, dtype=np.float32))


def check_images_for(model, images, source, shape=None):
    """`images` shaped like the model's data (or `shape`; a missing channel axis is added),
    finite, and in [0, 1] for image models; `source` names them in errors."""
    shape = tuple(shape or model.data_shape)
    images = np.asarray(images, dtype=np.float32)
    if images.ndim == len(shape) and shape[-1] == 1:
        images = images[..., None]  # (N, H, W) -> (N, H, W, 1)
    if tuple(images.shape[1:]) != shape or len(images) == 0:
        raise ValueError(
            f"{source} holds an array of shape {images.shape}; the model takes (N, "
            f"{', '.join(map(str, shape))}) with N >= 1."
        )
    if not np.all(np.isfinite(images)):
        raise ValueError(f"{source} contains NaN or infinite values.")
    if model.is_image and (images.min() < 0.0 or images.max() > 1.0):
        raise ValueError(
            f"{source} has values in [{images.min():.3g}, {images.max():.3g}]; images must be in "
            "[0, 1] (divide 8-bit images by 255)."
        )
    return images


def check_labels_for(model, labels, count, source="--labels"):
    """Integer class labels for a conditional model (None for an unconditional one)."""
    num_classes = getattr(model, "num_classes", None)
    if not num_classes:
        if labels is not None:
            raise ValueError(f"{model.registry_name} is not conditional; drop {source}.")
        return None
    if labels is None:
        raise ValueError(f"{model.registry_name} is conditional: pass {source} with one class "
                         f"(0..{num_classes - 1}) per example.")
    labels = np.asarray(labels).reshape(-1)
    if len(labels) != count or not np.all((labels >= 0) & (labels < num_classes)):
        raise ValueError(f"{source} must hold {count} integers in 0..{num_classes - 1}.")
    return labels.astype(np.int32)


def sample_labels(model, count, label=None):
    """Labels to sample with (a conditional model's classes, InfoGAN's categorical code):
    `label` for all, else cycling through the values."""
    num_classes = getattr(model, "sample_label_count", 0)
    if not num_classes:
        if label is not None:
            raise ValueError(f"{model.registry_name} is not conditional; drop --label.")
        return None
    if label is not None and not 0 <= label < num_classes:
        raise ValueError(f"--label must be in 0..{num_classes - 1}, got {label}.")
    return np.full(count, label, np.int32) if label is not None else np.arange(count) % num_classes


def sample(model, count, seed=0, label=None, batch_size=BATCH_SIZE):
    """Yield `count` samples in data units, `batch_size` at a time (bounded memory).

    The first batch is `model.sample(n, seed)`; batch i draws from the stateless seed
    (seed, i), so the same (count, seed) always gives the same samples.
    """
    if not hasattr(model, "sample"):
        raise ValueError(f"{model.registry_name} has no sampler (it does not map noise to data).")
    if count < 1:
        raise ValueError(f"--n must be at least 1, got {count}.")
    labels = sample_labels(model, count, label)
    for index, start in enumerate(range(0, count, batch_size)):
        n = min(batch_size, count - start)
        batch_labels = None if labels is None else labels[start:start + n]
        yield np.asarray(model.sample(n, seed=[seed, index], labels=batch_labels), dtype=np.float32)


def write_samples(model, count, out, seed=0, label=None):
    """Write `count` samples to `out`: .npy (float32, streamed in batches) or .png (a grid)."""
    suffix = os.path.splitext(str(out))[1].lower()
    if suffix not in (".npy", ".png"):
        raise ValueError(f"--out must end in .npy or .png, got {str(out)!r}.")
    if os.path.isdir(out):
        raise ValueError(f"--out {out} is a directory; give a file name ending in .npy or .png.")
    if suffix == ".png" and count > MAX_GRID_IMAGES:
        raise ValueError(f"a .png grid holds at most {MAX_GRID_IMAGES} images, got --n {count}: "
                         "write .npy instead.")
    batches = sample(model, count, seed, label)
    first = next(batches)
    needed = count * first[0].nbytes
    free = shutil.disk_usage(os.path.dirname(os.path.abspath(out))).free
    if suffix == ".npy" and needed > free:
        raise ValueError(f"--n {count} samples need {needed / 1e9:.1f} GB and {os.path.dirname(os.path.abspath(out))} "
                         f"has {free / 1e9:.1f} GB free: draw fewer, or write elsewhere.")
    if suffix == ".png":
        from keras_gans.plotting import save_samples

        save_samples(np.concatenate([first, *batches]), out)
        return first.shape[1:]
    with atomic_path(out) as tmp:
        array = np.lib.format.open_memmap(tmp, mode="w+", dtype=np.float32, shape=(count, *first.shape[1:]))
        array[:len(first)] = first
        start = len(first)
        for batch in batches:
            array[start:start + len(batch)] = batch
            start += len(batch)
        array.flush()
        del array
    return first.shape[1:]


def reconstruct(model, images, labels=None, batch_size=BATCH_SIZE):
    """Dec(Enc(x)) of every image, `batch_size` at a time."""
    if not hasattr(model, "reconstruct"):
        raise ValueError(f"{model.registry_name} has no encoder, so it cannot reconstruct; "
                         "use a model with one (ae, vae, aae, vae_gan, bigan, ...).")
    return np.concatenate([
        np.asarray(model.reconstruct(images[i:i + batch_size],
                                     None if labels is None else labels[i:i + batch_size]))
        for i in range(0, len(images), batch_size)
    ]).astype(np.float32)


def parse_user_ids(text, source="--users"):
    """"1,2,3" -> int64 array of user ids, or a ValueError naming `source`."""
    parts = [part.strip() for part in str(text).split(",") if part.strip()]
    try:
        ids = np.array([int(part) for part in parts], np.int64)
    except ValueError:
        raise ValueError(f"{source} takes comma-separated integer user ids, e.g. 1,2,3; got {text!r}.") from None
    if ids.size == 0:
        raise ValueError(f"{source} names no user; give comma-separated ids, e.g. 1,2,3.")
    return ids


def write_recommendations(model, user_ids, k, out):
    """Top-k unseen items of each user (original ids) to `out`: .json maps each user id to
    [{"item": id, "score": s}, ...] best first; .npy holds the item ids, shape (users, k).
    Checked before anything is written; written atomically. Returns the item ids."""
    import json

    out = str(out)
    if not out.endswith((".json", ".npy")):
        raise ValueError(f"--out must end in .json or .npy, got {out!r}.")
    if not hasattr(model, "recommend"):
        raise ValueError(f"{type(model).__name__} does not recommend items; train irgan or bpr_mf.")
    items, scores = model.recommend(user_ids, k)
    with atomic_path(out) as tmp:
        if out.endswith(".npy"):
            with open(tmp, "wb") as f:
                np.save(f, items.astype(np.int64))
        else:
            table = {str(int(user)): [{"item": int(i), "score": float(s)} for i, s in zip(row, row_scores)]
                     for user, row, row_scores in zip(user_ids, items, scores)}
            with open(tmp, "w") as f:
                json.dump(table, f, indent=1)
    return items
def translate(model, images, direction="a_to_b", batch_size=BATCH_SIZE):
    """(translations, cycles) of images in [0, 1] by a translation model, `batch_size` at a
    time: G_AB(x) and G_BA(G_AB(x)) for "a_to_b", the other way for "b_to_a"."""
    if not hasattr(model, "translate_with_cycle"):
        raise ValueError(f"{model.registry_name} is not a translation model; use cyclegan or discogan.")
    pairs = [model.translate_with_cycle(images[i:i + batch_size], direction)
             for i in range(0, len(images), batch_size)]
    return tuple(np.concatenate([np.asarray(pair[k]) for pair in pairs]).astype(np.float32) for k in (0, 1))


def check_translation_input(model, images, direction, source="--input"):
    """`images` of the source domain of `direction`, or a ValueError that says which
    domain's shape they have (if any) and which --direction takes them."""
    from keras_gans.models.translation import check_direction

    check_direction(direction)
    shapes = {"a_to_b": model.data_shape, "b_to_a": model.data_shape_b}
    array = np.asarray(images)
    given = tuple(array.shape[1:]) + ((1,) if array.ndim == 3 else ())
    if given != shapes[direction]:
        fits = [d for d, shape in shapes.items() if shape == given]
        hint = (f"that is the shape of the other domain: pass --direction {fits[0]}" if fits else
                f"the model's domains are A {shapes['a_to_b']} and B {shapes['b_to_a']}")
        raise ValueError(f"{source} holds images of shape {array.shape}, but --direction {direction} "
                         f"takes (N, {', '.join(map(str, shapes[direction]))}); {hint}.")
    return check_images_for(model, array, source, shape=shapes[direction])


def write_translations(model, input_path, out, direction="a_to_b"):
    """Translate the images of the .npy file `input_path` and write `out`: .npy (the
    translations, float32, in the target domain's shape) or .png (a grid, one row per image:
    input | translation | cycle). Returns the shape of one translation. Nothing is written
    unless every image was translated."""
    if not hasattr(model, "translate_with_cycle"):
        raise ValueError(f"{model.registry_name} is not a translation model; use cyclegan or discogan.")
    suffix = os.path.splitext(str(out))[1].lower()
    if suffix not in (".npy", ".png"):
        raise ValueError(f"--out must end in .npy or .png, got {str(out)!r}.")
    if os.path.isdir(out):
        raise ValueError(f"--out {out} is a directory; give a file name ending in .npy or .png.")
    images = check_translation_input(model, load_array(input_path, "--input"), direction)
    if suffix == ".png" and 3 * len(images) > MAX_GRID_IMAGES:
        raise ValueError(f"a .png grid holds at most {MAX_GRID_IMAGES // 3} inputs, got {len(images)}: "
                         "write .npy instead.")
    translations, cycles = translate(model, images, direction)
    if suffix == ".npy":
        save_array(translations, out)
        return translations.shape[1:]
    from keras_gans.plotting import save_image_grid

    channels = max(images.shape[-1], translations.shape[-1])
    rows = np.stack([np.repeat(a, channels // a.shape[-1], axis=-1) for a in (images, translations, cycles)], axis=1)
    save_image_grid(rows.reshape(-1, *rows.shape[2:]), out, columns=3, title="input | translation | cycle")
    return translations.shape[1:]
