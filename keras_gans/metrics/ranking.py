"""Ranking metrics of item recommendation on held-out positives (binary relevance).

The metrics IRGAN (Wang et al. 2017) reports on MovieLens: Precision@k, NDCG@k, MAP and
MRR. Each user's items are ranked by score with its training positives excluded, and the
ranking is judged against its held-out positives; means are over users with at least one
held-out positive. Pure numpy.

Per-list functions take a 0/1 relevance list in ranked order (position 0 = top).
"""

import numpy as np


def _relevance(relevance):
    rel = np.asarray(relevance)
    if rel.ndim != 1:
        raise ValueError(f"relevance must be a 1-D list in ranked order, got shape {rel.shape}.")
    if rel.size and not np.all((rel == 0) | (rel == 1)):
        raise ValueError("relevance must hold 0/1 (binary relevance); got values "
                         f"{np.unique(rel)[:5].tolist()}.")
    return rel.astype(np.float64)


def _check_k(k):
    if int(k) != k or k < 1:
        raise ValueError(f"k must be a positive integer cut-off, got {k}.")
    return int(k)


def _discounts(n):
    """1 / log2(rank + 1) for ranks 1..n."""
    return 1.0 / np.log2(np.arange(2, n + 2, dtype=np.float64))


def precision_at_k(relevance, k):
    """Share of the top k that is relevant; positions past the end count as irrelevant."""
    k = _check_k(k)
    return float(_relevance(relevance)[:k].sum() / k)


def dcg_at_k(relevance, k):
    """Discounted cumulative gain: sum over the top k of rel_i / log2(i + 1), i = 1..k."""
    k = _check_k(k)
    rel = _relevance(relevance)[:k]
    return float(rel @ _discounts(len(rel)))


def ndcg_at_k(relevance, k, num_relevant=None):
    """DCG@k over the ideal DCG@k of min(k, num_relevant) relevant items at the top.

    `num_relevant` (all relevant items, also those not in the list) defaults to the number of
    ones in the list; 0 when there is no relevant item.
    """
    k = _check_k(k)
    rel = _relevance(relevance)
    n = int(rel.sum()) if num_relevant is None else int(num_relevant)
    if n <= 0:
        return 0.0
    return dcg_at_k(rel, k) / float(_discounts(min(k, n)).sum())


def average_precision(relevance, num_relevant=None):
    """Mean of precision@rank over the ranks of relevant items, divided by `num_relevant`
    (default: the number of ones in the list, so missing ones count as precision 0)."""
    rel = _relevance(relevance)
    n = int(rel.sum()) if num_relevant is None else int(num_relevant)
    if n <= 0:
        return 0.0
    precision = np.cumsum(rel) / np.arange(1, len(rel) + 1)
    return float((precision * rel).sum() / n)


def reciprocal_rank(relevance):
    """1 / rank of the first relevant item; 0 when there is none."""
    rel = _relevance(relevance)
    hits = np.flatnonzero(rel)
    return float(1.0 / (hits[0] + 1)) if len(hits) else 0.0


def rank_items(scores, exclude=None):
    """Item indices of each user sorted by descending score, int64 [U, I].

    Ties go to the lower item index. Items where `exclude` [U, I] is true (training
    positives) are pushed to the end, after every other item, in the same order.
    """
    scores = np.asarray(scores, np.float64)
    if scores.ndim != 2:
        raise ValueError(f"scores must be a [users, items] matrix, got shape {scores.shape}.")
    if not np.all(np.isfinite(scores)):
        raise ValueError(f"scores contain {int(np.count_nonzero(~np.isfinite(scores)))} "
                         "NaN or infinite values; fix the model's scores before ranking.")
    if exclude is None:
        return np.argsort(-scores, axis=1, kind="stable").astype(np.int64)
    exclude = np.asarray(exclude)
    if exclude.shape != scores.shape:
        raise ValueError(f"exclude has shape {exclude.shape} but scores have {scores.shape}.")
    # lexsort: the last key is the primary one; it is stable, so ties keep index order.
    return np.lexsort((-scores, exclude.astype(bool)), axis=-1).astype(np.int64)


def ranking_report(scores, train_positives, test_positives, ks=(3, 5, 10)) -> dict:
    """Precision@k, NDCG@k, MAP and MRR of the ranking `scores` induce.

    Args:
        scores: [U, I] model scores (higher = recommended first).
        train_positives: [U, I] 0/1; excluded from each user's ranking.
        test_positives: [U, I] 0/1; the relevant items (a held-out positive that is also a
            training positive is excluded, so it is not counted).
        ks: cut-offs.

    Returns:
        {"P@k", ..., "NDCG@k", ..., "MAP", "MRR": means over the users with at least one
        held-out positive, "users": how many users that is}.
    """
    scores = np.asarray(scores)
    train = np.asarray(train_positives) > 0
    test = np.asarray(test_positives) > 0
    if not (scores.shape == train.shape == test.shape) or scores.ndim != 2:
        raise ValueError(f"scores {scores.shape}, train_positives {train.shape} and "
                         f"test_positives {test.shape} must all be the same [users, items] "
                         "shape.")
    ks = [_check_k(k) for k in ks]
    relevant = test & ~train
    keep = np.flatnonzero(relevant.any(axis=1))
    if len(keep) == 0:
        raise ValueError("No user has a held-out positive outside its training positives, so "
                         "there is nothing to rank against: hold out part of each user's "
                         "positives (test_fraction > 0).")
    ranked = rank_items(scores[keep], exclude=train[keep])
    rel = np.take_along_axis(relevant[keep], ranked, axis=1).astype(np.float64)
    num_relevant = rel.sum(axis=1)
    num_items = rel.shape[1]
    discounts = _discounts(num_items)
    ideal = np.cumsum(discounts)
    report = {}
    for k in ks:
        report[f"P@{k}"] = float(np.mean(rel[:, :k].sum(axis=1) / k))
    for k in ks:
        dcg = rel[:, :k] @ discounts[:k]
        idcg = ideal[np.minimum(k, num_relevant).astype(np.int64) - 1]
        report[f"NDCG@{k}"] = float(np.mean(dcg / idcg))
    hits = np.cumsum(rel, axis=1)
    precision = hits / np.arange(1, num_items + 1)
    report["MAP"] = float(np.mean((precision * rel).sum(axis=1) / num_relevant))
    first_hit = np.argmax(rel > 0, axis=1)
    report["MRR"] = float(np.mean(1.0 / (first_hit + 1)))
    report["users"] = int(len(keep))
    return report


def popularity_scores(train_positives, num_users=None):
    """The popularity baseline: each item's number of training positives, the same row for
    every user; float32 [num_users (default: rows of train_positives), I]."""
    train = np.asarray(train_positives)
    if train.ndim != 2:
        raise ValueError(f"train_positives must be a [users, items] matrix, got shape "
                         f"{train.shape}.")
    counts = (train > 0).sum(axis=0).astype(np.float32)
    rows = train.shape[0] if num_users is None else int(num_users)
    return np.tile(counts, (rows, 1))


def format_ranking_table(rows) -> str:
    """A plain-text table of reports: one row per model, one column per metric.

    Args:
        rows: dict name -> report (as `ranking_report` returns); columns follow the first
            report's keys, metrics with 4 decimals, integers as they are.
    """
    if not rows:
        raise ValueError("format_ranking_table needs at least one model's report.")
    columns = []
    for report in rows.values():
        columns += [key for key in report if key not in columns]

    def cell(value):
        if value is None:
            return "-"
        if isinstance(value, (int, np.integer)):
            return str(int(value))
        return f"{float(value):.4f}"

    table = [["model"] + columns]
    table += [[str(name)] + [cell(report.get(key)) for key in columns]
              for name, report in rows.items()]
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    lines = []
    for j, line in enumerate(table):
        lines.append("  ".join(text.ljust(widths[0]) if i == 0 else text.rjust(widths[i])
                               for i, text in enumerate(line)).rstrip())
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
