"""What BiGAN's encoder learns, trained with the CLI's defaults on `mnist_train`.

    python benchmarks/bigan.py                 # seeds 0 1 2, `keras-gans train bigan --seed S`
    python benchmarks/bigan.py --seeds 0 --epochs 10 --set stochastic_encoder=True

The BiGAN paper's protocol on the project's split: 1-nearest-neighbour digit accuracy of
`mnist_test` codes E(x) against `mnist_train` codes (cosine distance), beside 1-NN on raw
pixels and on the codes of the same encoder untrained; and the fraction of test
reconstructions G(E(x)) the project's classifier labels as the input's digit.
"""

import os
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

from keras_gans.data import load_dataset  # noqa: E402
from keras_gans.metrics import load_mnist_classifier  # noqa: E402
from keras_gans.metrics.codes import encoder_report, nearest_neighbour_accuracy  # noqa: E402
from keras_gans.models import BiGAN  # noqa: E402
from keras_gans.recipes import resolve  # noqa: E402
from keras_gans.training import parse_overrides, train  # noqa: E402
from seeded_runs import seed_parser, train_command  # noqa: E402




def main():
    args = seed_parser(__doc__.splitlines()[0]).parse_args()

    classifier = load_mnist_classifier()
    train_set, test_set = load_dataset("mnist_train"), load_dataset("mnist_test")
    pixels = nearest_neighbour_accuracy(train_set.x, train_set.y, test_set.x, test_set.y)
    print(f"1-NN on pixels: {pixels:.3f}")
    print(f"{'seed':>4} {'seconds':>8} {'random encoder':>15} {'BiGAN encoder':>14} {'G(E(x)) recognised':>19}")
    for seed in args.seeds:
        overrides = parse_overrides(args.set, BiGAN)
        hyperparameters = {**resolve("bigan", hyperparameters=overrides).hyperparameters, "seed": seed}
        untrained = BiGAN(data_shape=train_set.data_shape, **hyperparameters)
        random_codes = nearest_neighbour_accuracy(
            np.asarray(untrained.encode(train_set.x)), train_set.y, np.asarray(untrained.encode(test_set.x)), test_set.y)
        with tempfile.TemporaryDirectory() as workdir:
            result = train("bigan", epochs=args.epochs, out=f"{workdir}/run", seed=seed, overrides=overrides, verbose=0)
        report = encoder_report(result.model, classifier, train_set, test_set)
        print(f"{seed:>4} {result.wall_time:>8.0f} {random_codes:>15.3f} {report['code_1nn']:>14.3f} "
              f"{report['reconstruction_agreement']:>19.3f}", flush=True)
        print(f"{'':>4} command: {train_command('bigan', seed, args)}", flush=True)


if __name__ == "__main__":
    main()
