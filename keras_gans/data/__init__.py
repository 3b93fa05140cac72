"""Offline data sources and tf.data pipelines."""

from keras_gans.data.pipeline import from_model_range, make_pipeline, to_model_range
from keras_gans.data.sources import DATASETS, Dataset, load_dataset

__all__ = ["DATASETS", "Dataset", "from_model_range", "load_dataset", "make_pipeline",
           "to_model_range"]
