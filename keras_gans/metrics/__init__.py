"""Evaluation metrics: Fréchet distance, mode coverage, digit classifier scores, ranking."""

from keras_gans.metrics.autoencoding import autoencoder_report

from keras_gans.metrics.classifier import default_classifier_path
from keras_gans.metrics.classifier import classifier_features
from keras_gans.metrics.classifier import classifier_fid
from keras_gans.metrics.classifier import classify
from keras_gans.metrics.classifier import confident_fraction
from keras_gans.metrics.classifier import digit_report
from keras_gans.metrics.classifier import label_agreement
from keras_gans.metrics.classifier import load_mnist_classifier
from keras_gans.metrics.frechet import frechet_distance
from keras_gans.metrics.frechet import frechet_distance_from_features
from keras_gans.metrics.mode_coverage import mode_coverage
from keras_gans.metrics.ranking import average_precision
from keras_gans.metrics.ranking import dcg_at_k
from keras_gans.metrics.ranking import format_ranking_table
from keras_gans.metrics.ranking import ndcg_at_k
from keras_gans.metrics.ranking import popularity_scores
from keras_gans.metrics.ranking import precision_at_k
from keras_gans.metrics.ranking import rank_items
from keras_gans.metrics.ranking import ranking_report
from keras_gans.metrics.ranking import reciprocal_rank
from keras_gans.metrics.two_sample import ks_per_dimension, mmd_squared

__all__ = [
    "autoencoder_report",
    "average_precision",
    "default_classifier_path",
    "classifier_features",
    "classifier_fid",
    "classify",
    "confident_fraction",
    "dcg_at_k",
    "digit_report",
    "format_ranking_table",
    "frechet_distance",
    "frechet_distance_from_features",
    "ks_per_dimension",
    "label_agreement",
    "mmd_squared",
    "load_mnist_classifier",
    "mode_coverage",
    "ndcg_at_k",
    "popularity_scores",
    "precision_at_k",
    "rank_items",
    "ranking_report",
    "reciprocal_rank",
]
