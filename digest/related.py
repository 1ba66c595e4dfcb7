"""Related papers: for each paper, the five whose words are closest (TF-IDF cosine).

scikit-learn does the text statistics and SciPy the sparse products: per chunk of papers,
one sparse matrix product against all, so the work stays near-linear in practice, never an
all-pairs loop in Python.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .model import Paper
from .text import plain_text

RELATED = 5
TITLE_WEIGHT = 3  # a title's words say more about a paper than any sentence of its abstract
CHUNK = 512  # papers per sparse product at most
# Scores held at once (rows of a chunk times papers): the chunk shrinks as papers grow, so
# the dense scores and their ranking stay some 50 MB however large the digest is.
SCORES_AT_ONCE = 2**22
# A word in more papers than this (or in half of them) says little about which two papers
# are related, its IDF being small, yet every pair of papers sharing it costs the product
# a term: leaving such words out keeps a large digest's products sparse. It never bites
# below 5,000 papers; at 50,000 it halves the time (measured: 78 s -> 38 s of CPU).
COMMON_IN_PAPERS = 2500


def related_papers(papers: Sequence[Paper], count: int = RELATED) -> dict[str, tuple[str, ...]]:
    """Each paper's `count` most similar papers, ties broken by slug: same content, same lists."""
    # Imported here: scikit-learn takes a second or two to import, and only this needs it.
    from sklearn.feature_extraction.text import TfidfVectorizer

    ordered = sorted(papers, key=lambda p: p.slug)
    if len(ordered) < 2:
        return {p.slug: () for p in ordered}
    texts = [(plain_text(p.title) + " ") * TITLE_WEIGHT + plain_text(p.abstract) for p in ordered]
    common = min(0.5, COMMON_IN_PAPERS / len(ordered))
    vectorizer = TfidfVectorizer(
        stop_words="english", sublinear_tf=True, min_df=1, max_df=common, dtype=np.float32
    )
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # no words at all (every text empty or stop words)
        return {p.slug: () for p in ordered}
    slugs = [p.slug for p in ordered]
    total = len(ordered)
    transposed = matrix.T.tocsr()  # what each product would convert matrix.T to, once
    take = min(total, count * 4)
    step = max(1, min(CHUNK, SCORES_AT_ONCE // total))
    result: dict[str, tuple[str, ...]] = {}
    for start in range(0, total, step):
        scores = (matrix[start : start + step] @ transposed).toarray()
        rows = np.arange(len(scores))
        scores[rows, rows + start] = -1.0  # never itself
        # Each row's `take` best, partitioned row by row exactly as for one row alone.
        best = np.argpartition(-scores, take - 1, axis=1)[:, :take] if take < total else None
        for offset, row in enumerate(scores):
            candidates = best[offset] if best is not None else range(total)
            result[slugs[start + offset]] = _top(row, candidates, slugs, count)
    return result


def _top(
    row: np.ndarray, candidates: Sequence[int] | np.ndarray, slugs: list[str], count: int
) -> tuple[str, ...]:
    """The best `count` by score (rounded, so float noise cannot reorder ties), then slug."""
    ranked = sorted(
        (i for i in candidates if row[i] > 0), key=lambda i: (-round(float(row[i]), 6), slugs[i])
    )
    return tuple(slugs[i] for i in ranked[:count])
