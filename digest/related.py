"""Related papers: for each paper, the five whose words are closest (TF-IDF cosine).

scikit-learn does the text statistics and SciPy the sparse products: per chunk of papers,
one sparse matrix product against all, so the work stays near-linear in practice, never an
all-pairs loop in Python.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from .model import Paper
from .text import plain_text

RELATED = 5
TITLE_WEIGHT = 3  # a title's words say more about a paper than any sentence of its abstract
CHUNK = 512  # papers per sparse product: bounds memory at CHUNK x papers scores


def related_papers(papers: Sequence[Paper], count: int = RELATED) -> dict[str, tuple[str, ...]]:
    """Each paper's `count` most similar papers, ties broken by slug: same content, same lists."""
    ordered = sorted(papers, key=lambda p: p.slug)
    if len(ordered) < 2:
        return {p.slug: () for p in ordered}
    texts = [(plain_text(p.title) + " ") * TITLE_WEIGHT + plain_text(p.abstract) for p in ordered]
    vectorizer = TfidfVectorizer(
        stop_words="english", sublinear_tf=True, min_df=1, max_df=0.5, dtype=np.float32
    )
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # no words at all (every text empty or stop words)
        return {p.slug: () for p in ordered}
    slugs = [p.slug for p in ordered]
    result: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(ordered), CHUNK):
        scores = (matrix[start : start + CHUNK] @ matrix.T).toarray()
        for offset, row in enumerate(scores):
            row[start + offset] = -1.0  # never itself
            result[slugs[start + offset]] = _top(row, slugs, count)
    return result


def _top(row: np.ndarray, slugs: list[str], count: int) -> tuple[str, ...]:
    """The best `count` by score (rounded, so float noise cannot reorder ties), then slug."""
    take = min(len(row), count * 4)
    candidates = np.argpartition(-row, take - 1)[:take] if take < len(row) else np.arange(len(row))
    ranked = sorted(
        (i for i in candidates if row[i] > 0), key=lambda i: (-round(float(row[i]), 6), slugs[i])
    )
    return tuple(slugs[i] for i in ranked[:count])
