"""How much InfoGAN's codes mean, trained with the CLI's defaults on the offline MNIST.

    python benchmarks/infogan.py                 # seeds 0 1 2, `keras-gans train infogan --seed S`
    python benchmarks/infogan.py --seeds 0 --epochs 10

For each seed: `keras_gans.training.train("infogan", seed=S)` (what the printed command runs),
then (Chen et al. 2016, section 7.1)
- the categorical code: 1,000 samples per code value, labelled by the project's MNIST
  classifier, code values matched one-to-one to digits (Hungarian), accuracy after matching;
- each continuous code: swept from -2 to 2 in 9 steps with the noise and the categorical
  code fixed (100 rows), the mean Spearman correlation of the sweep with the digit's slant
  and with its ink mass (stroke width).
"""

import os
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from keras_gans.metrics import load_mnist_classifier  # noqa: E402
from keras_gans.metrics.codes import categorical_code_report, continuous_code_report  # noqa: E402
from keras_gans.metrics.latent_attributes import ink_amount, slant  # noqa: E402
from keras_gans.models import InfoGAN  # noqa: E402
from keras_gans.training import parse_overrides, train  # noqa: E402
from seeded_runs import seed_parser, train_command  # noqa: E402


def main():
    args = seed_parser(__doc__.splitlines()[0]).parse_args()

    classifier = load_mnist_classifier()
    attributes = {"slant": slant, "ink": ink_amount}
    print(f"{'seed':>4} {'seconds':>8} {'matched accuracy':>17}  per code value (matched digit: accuracy)")
    for seed in args.seeds:
        with tempfile.TemporaryDirectory() as workdir:
            result = train("infogan", epochs=args.epochs, out=f"{workdir}/run", seed=seed,
                           overrides=parse_overrides(args.set, InfoGAN), verbose=0)
        model = result.model
        report = categorical_code_report(model, classifier, per_code=1000, seed=0)
        per_code = "  ".join(f"{code}->{digit}: {report['per_code'][code]:.2f}"
                             for code, digit in sorted(report["assignment"].items()))
        print(f"{seed:>4} {result.wall_time:>8.0f} {report['accuracy']:>17.3f}  {per_code}", flush=True)
        for index in range(model.continuous_codes):
            correlations = continuous_code_report(model, attributes, index, seed=seed)
            print(f"{'':>4} continuous code {index}: rank correlation with "
                  + ", ".join(f"{name} {value:+.2f}" for name, value in correlations.items()), flush=True)
        print(f"{'':>4} command: {train_command('infogan', seed, args)}", flush=True)


if __name__ == "__main__":
    main()
