"""Images read from disk when a batch needs them: an image folder or a TFDS image set of any
size trains in bounded memory.

A `LazyImages` stands where a `Dataset` holds its array `x`: it has the array's shape, slicing
and permuting it select images (nothing is read), `np.asarray` reads them all (for the few
callers that want pixels, e.g. `data.x[:8]`), and `make_pipeline` reads only the images of
each batch (`gather`), in parallel, inside tf.data. `ImageFiles` decodes image files;
`MappedImages` reads rows of a memory-mapped uint8 .npy (a TFDS split, cached once).
"""

import os

import numpy as np

from keras_gans.data.tf_options import without_autotune

IMAGE_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")  # what tf.io.decode_image reads


def decode_file(path, size, channels):
    """One image file -> float32 [size, size, channels] in [0, 1]: decoded as RGB, centre-
    cropped to a square and resized bilinearly (what keras' image_dataset_from_directory does
    with crop_to_aspect_ratio=True), then its first channel when `channels` is 1."""
    import keras
    import tensorflow as tf

    image = tf.io.decode_image(tf.io.read_file(path), channels=3, expand_animations=False)
    image = keras.preprocessing.image.smart_resize(image, (size, size), interpolation="bilinear")
    image = tf.cast(image, tf.float32) / 255.0
    image.set_shape([size, size, 3])
    return image[..., :channels]


class LazyImages:
    """Images of a data set, read on demand: the array's shape, slicing and permuting select
    rows (nothing is read), `np.asarray` reads them all, `gather` reads a batch inside tf.data.

    A subclass keeps one key per image (`keys`) and says how to read keys (`read`, numpy)
    and a batch of positions (`gather`, TensorFlow).
    """

    ndim = 4
    dtype = np.dtype("float32")

    def __init__(self, keys, image_shape):
        self.keys = np.asarray(keys)
        self.image_shape = tuple(int(d) for d in image_shape)

    def with_keys(self, keys):
        """The same kind of images, for other keys."""
        return type(self)(keys, self.image_shape)

    @property
    def shape(self):
        return (len(self.keys), *self.image_shape)

    def __len__(self):
        return len(self.keys)

    def __getitem__(self, key):
        """A selection of the images (a slice, an index array): still unread. A single index
        reads that one image; a tuple reads the images its first index selects and indexes
        their pixels with the rest, as on an array."""
        if isinstance(key, tuple):
            if not key or key[0] is Ellipsis:
                return np.asarray(self)[key]
            chosen = self[key[0]]
            if isinstance(chosen, LazyImages):
                return np.asarray(chosen)[(slice(None), *key[1:])]
            return chosen[key[1:]]
        if isinstance(key, (int, np.integer)):
            return self.read(self.keys[[key]])[0]
        return self.with_keys(self.keys[key])

    def __array__(self, dtype=None, copy=None):
        x = self.read(self.keys)
        return x if dtype is None else x.astype(dtype)

    def read(self, keys):
        raise NotImplementedError

    def gather(self, indices):
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}({len(self)} images, shape={self.shape})"


class ImageFiles(LazyImages):
    """The images of a list of files, decoded when read.

    Args:
        paths: sequence of str. The files, in data set order.
        image_shape: (size, size, channels). Images are centre-cropped and resized to
            `size` pixels a side; channels is 1 (every image gray) or 3.
    """

    def __init__(self, paths, image_shape):
        super().__init__(np.asarray(paths, dtype=str), image_shape)

    @property
    def paths(self):
        return self.keys

    def _decode(self, path):
        size, _, channels = self.image_shape
        return decode_file(path, size, channels)

    def read(self, keys, batch_size=256):
        import tensorflow as tf

        if len(keys) == 0:
            return np.zeros((0, *self.image_shape), np.float32)
        ds = tf.data.Dataset.from_tensor_slices(np.asarray(keys, dtype=str))
        ds = ds.map(self._decode, num_parallel_calls=tf.data.AUTOTUNE)
        return np.concatenate([batch.numpy() for batch in without_autotune(ds.batch(batch_size))])

    def gather(self, indices):
        """The images at `indices` (an int tensor), decoded inside a tf.data map."""
        import tensorflow as tf

        paths = tf.gather(tf.constant(self.paths), indices)
        spec = tf.TensorSpec(self.image_shape, tf.float32)
        return tf.map_fn(self._decode, paths, fn_output_signature=spec)


class MappedImages(LazyImages):
    """Rows of a uint8 image array in a .npy file, memory-mapped: a batch reads only its rows
    from disk (pixels / 255 as float32).

    Args:
        path: str. The .npy file, shape (N, H, W, C), dtype uint8.
        rows: int array or None. Which rows, in data set order (default: all).
    """

    def __init__(self, path, rows=None):
        self.path = str(path)
        self.array = np.load(self.path, mmap_mode="r")
        super().__init__(np.arange(len(self.array)) if rows is None else rows, self.array.shape[1:])

    def with_keys(self, keys):
        return MappedImages(self.path, keys)

    def read(self, keys):
        keys = np.asarray(keys, dtype=np.int64)
        order = np.argsort(keys, kind="stable")  # read the file front to back
        x = np.empty((len(keys), *self.image_shape), np.float32)
        x[order] = self.array[keys[order]]
        return x / np.float32(255.0)

    def gather(self, indices):
        import tensorflow as tf

        rows = tf.gather(tf.constant(self.keys, tf.int64), indices)
        x = tf.numpy_function(self.read, [rows], tf.float32, stateful=False)
        x.set_shape([None, *self.image_shape])
        return x


def write_image_array(path, batches, image_shape):
    """Write uint8 image batches (each [n, *image_shape]) as one .npy at `path`, holding one
    batch in memory at a time; the file appears (renamed into place) only when complete.
    Returns the number of images."""
    import shutil
    import tempfile

    from keras_gans.io_utils import atomic_path

    count = 0
    with atomic_path(path) as tmp, tempfile.TemporaryFile(dir=os.path.dirname(tmp)) as raw:
        for batch in batches:  # the header needs the count: pixels go to a scratch file first
            raw.write(np.ascontiguousarray(batch, dtype=np.uint8).tobytes())
            count += len(batch)
        raw.seek(0)
        with open(tmp, "wb") as out:
            np.lib.format.write_array_header_1_0(
                out, {"descr": "|u1", "fortran_order": False, "shape": (count, *image_shape)})
            shutil.copyfileobj(raw, out, 1 << 24)
    return count


def scan_images(paths, size):
    """Decode every file once, in bounded memory: (channels, None), or (None, the decoding
    error) when a file cannot be decoded. Channels is 1 when every image is gray (R = G = B),
    else 3."""
    import tensorflow as tf

    gray = True
    ds = tf.data.Dataset.from_tensor_slices(np.asarray(paths, dtype=str))

    def is_gray(path):
        image = decode_file(path, size, 3)
        return tf.reduce_all(tf.equal(image[..., 0], image[..., 1])) & tf.reduce_all(
            tf.equal(image[..., 0], image[..., 2]))

    try:
        for flags in without_autotune(ds.map(is_gray, num_parallel_calls=tf.data.AUTOTUNE).batch(1024)):
            gray = gray and bool(np.all(flags.numpy()))
    except tf.errors.InvalidArgumentError as error:
        return None, error
    return (1 if gray else 3), None
