"""Images read from their files when a batch needs them: an image folder of any size trains in
bounded memory.

`ImageFiles` stands where a `Dataset` holds its array `x`: it has the array's shape, slicing
and permuting it select files (nothing is read), `np.asarray` reads them all (for the few
callers that want pixels, e.g. `data.x[:8]`), and `make_pipeline` decodes only the files of
each batch (`gather`), in parallel, inside tf.data.
"""

import numpy as np

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


class ImageFiles:
    """The pixels of a list of image files, read on demand.

    Args:
        paths: sequence of str. The files, in data set order.
        size: int. Images are square, `size` pixels a side.
        channels: int. 1 (every image gray) or 3.
    """

    ndim = 4
    dtype = np.dtype("float32")

    def __init__(self, paths, size, channels):
        self.paths = np.asarray(paths, dtype=str)
        self.size, self.channels = int(size), int(channels)

    @property
    def shape(self):
        return (len(self.paths), self.size, self.size, self.channels)

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, key):
        """A selection of the files (a slice, an index array): still unread. A single index
        reads that one image; a tuple reads the files its first index selects and indexes
        their pixels with the rest, as on an array."""
        if isinstance(key, tuple):
            if not key or key[0] is Ellipsis:
                return np.asarray(self)[key]
            chosen = self[key[0]]
            if isinstance(chosen, ImageFiles):
                return np.asarray(chosen)[(slice(None), *key[1:])]
            return chosen[key[1:]]
        if isinstance(key, (int, np.integer)):
            return self.read([self.paths[key]])[0]
        return ImageFiles(self.paths[key], self.size, self.channels)

    def __array__(self, dtype=None, copy=None):
        x = self.read(self.paths)
        return x if dtype is None else x.astype(dtype)

    def read(self, paths, batch_size=256):
        import tensorflow as tf

        if len(paths) == 0:
            return np.zeros((0, self.size, self.size, self.channels), np.float32)
        ds = tf.data.Dataset.from_tensor_slices(np.asarray(paths, dtype=str))
        ds = ds.map(lambda p: decode_file(p, self.size, self.channels), num_parallel_calls=tf.data.AUTOTUNE)
        return np.concatenate([batch.numpy() for batch in ds.batch(batch_size)])

    def gather(self, indices):
        """The images at `indices` (an int tensor), decoded inside a tf.data map."""
        import tensorflow as tf

        paths = tf.gather(tf.constant(self.paths), indices)
        spec = tf.TensorSpec([self.size, self.size, self.channels], tf.float32)
        return tf.map_fn(lambda p: decode_file(p, self.size, self.channels), paths, fn_output_signature=spec)

    def __repr__(self):
        return f"ImageFiles({len(self)} files, shape={self.shape})"


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
        for flags in ds.map(is_gray, num_parallel_calls=tf.data.AUTOTUNE).batch(1024):
            gray = gray and bool(np.all(flags.numpy()))
    except tf.errors.InvalidArgumentError as error:
        return None, error
    return (1 if gray else 3), None
