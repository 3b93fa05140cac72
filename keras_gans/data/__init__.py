"""Offline data sources and tf.data pipelines."""

from keras_gans.data.pipeline import (
    domain_steps, from_model_range, make_domain_pipeline, make_pipeline, to_model_range,
)
from keras_gans.data.sources import DATASETS, Dataset, load_dataset

__all__ = ["DATASETS", "Dataset", "domain_steps", "from_model_range", "load_dataset",
           "make_domain_pipeline", "make_pipeline", "to_model_range"]
