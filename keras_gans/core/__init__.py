"""The training core every model stands on, one concern a module.

- `replicas`: where a step runs (replicas in sync, this replica's id) and cross-replica means.
- `randomness`: stateless seeds and the per-step, per-replica noise of `GenerativeModel`.
- `batches`: what a `fit` batch is, and reading a bounded sample of examples from data.
- `gradients`: the one gradient helper and the (loss, terms) convention of objectives.
- `ema`: the optional exponential moving average of a role's weights.
"""
