"""Related papers without scikit-learn: our TF-IDF gives its matrix to the bit, and the
blocked, screened ranking gives what ranking every score of the whole matrix gives."""

from __future__ import annotations

import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.model import Paper
from digest.papers import related
from digest.papers.related import related_papers
from digest.papers.tfidf import STOP_WORDS, tfidf

CHECK = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Words that steer the tokenizer: stop words, one letter, digits, underscores, capitals,
# letters outside ASCII (a capital sigma lowers by context, a dotted I to two characters),
# punctuation inside words, and a few plain words to share.
PIECES = [
    "the", "and", "A", "I", "x", "7", "42", "_", "a_b", "__", "Model", "MODEL", "model",
    "learning", "graph", "neural", "e.g.", "state-of-the-art", "don't", "naïve", "Straße",
    "ΣΑΣ", "İstanbul", "x²", "٣٤", "日本語", "$x_1$", "(Var)", "\u00a0", "\t", "\n", " ",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=12).map(" ".join)


@CHECK
@given(st.lists(texts, min_size=1, max_size=12), st.floats(0.05, 1.0))
def test_tfidf_is_scikit_learns_to_the_bit(corpus: list[str], max_df: float) -> None:
    text = pytest.importorskip("sklearn.feature_extraction.text")
    vectorizer = text.TfidfVectorizer(
        stop_words="english", sublinear_tf=True, min_df=1, max_df=max_df, dtype=np.float32
    )
    try:
        expected = vectorizer.fit_transform(corpus)
    except ValueError:  # no word left: no related papers at all
        assert tfidf(corpus, max_df) is None
        return
    ours = tfidf(corpus, max_df)
    assert ours is not None
    assert ours.shape == expected.shape
    assert ours.indptr.tolist() == expected.indptr.tolist()
    # Same values in the same order within each row (a product sums them in that order), and
    # our columns one renaming of scikit-learn's (it numbers words alphabetically).
    assert ours.data.dtype == np.float32
    assert ours.data.view(np.int32).tolist() == expected.data.view(np.int32).tolist()
    renamed = dict(zip(ours.indices.tolist(), expected.indices.tolist(), strict=True))
    assert len(renamed) == len(set(renamed.values())) == ours.shape[1]
    assert [renamed[c] for c in ours.indices.tolist()] == expected.indices.tolist()


def test_stop_words_are_scikit_learns() -> None:
    text = pytest.importorskip("sklearn.feature_extraction.text")
    assert text.ENGLISH_STOP_WORDS == STOP_WORDS


def reference(papers: list[Paper], count: int) -> dict[str, tuple[str, ...]]:
    """Every score of the whole matrix ranked in Python: rounded score, then slug."""
    ordered = sorted(papers, key=lambda p: p.slug)
    corpus = [(p.title + " ") * related.TITLE_WEIGHT + p.abstract for p in ordered]
    matrix = tfidf(corpus, min(0.5, related.COMMON_IN_PAPERS / len(ordered)))
    if matrix is None:
        return {p.slug: () for p in ordered}
    scores = (matrix @ matrix.T).toarray()
    result = {}
    for i, paper in enumerate(ordered):
        others = [j for j in range(len(ordered)) if j != i and scores[i, j] > 0]
        others.sort(key=lambda j: (-round(float(scores[i, j]), 6), ordered[j].slug))
        result[paper.slug] = tuple(ordered[j].slug for j in others[:count])
    return result


# Papers made of a few texts made of a few words: many share words, many tie exactly.
WORDS = ["graph", "neural", "Model", "diffusion", "the", "agent", "robot", "vision", "speech",
         "token", "reward", "sparse", "proof"]  # fmt: skip
few_texts = st.lists(
    st.lists(st.sampled_from(WORDS), max_size=5).map(" ".join), min_size=1, max_size=8
)
title_and_abstract = st.tuples(few_texts, st.integers(2, 70)).flatmap(
    lambda pool_size: st.lists(
        st.tuples(st.sampled_from(pool_size[0]), st.sampled_from(pool_size[0])),
        min_size=pool_size[1],
        max_size=pool_size[1],
    )
)


@CHECK
@given(
    title_and_abstract,
    st.integers(1, 7),
    st.sampled_from([(8, 2), (16, 4), (32, 8), (related.BLOCK, related.GROUPS)]),
    st.integers(1, 3),
    st.randoms(use_true_random=False),
)
def test_related_papers_rank_as_every_score_ranked(
    papers: tuple[Paper, ...],
    texts: list[tuple[str, str]],
    count: int,
    block: tuple[int, int],
    threads: int,
    rng: random.Random,
) -> None:
    corpus = [
        replace(papers[0], slug=f"p{i:03d}", title=title, abstract=abstract)
        for i, (title, abstract) in enumerate(texts)
    ]
    rng.shuffle(corpus)  # the input order never matters
    with pytest.MonkeyPatch.context() as patch:  # small blocks: many, and mirrored ones
        patch.setattr(related, "BLOCK", block[0])
        patch.setattr(related, "GROUPS", block[1])
        patch.setattr(related, "THREADS", threads)  # each thread's best, merged
        assert related_papers(corpus, count) == reference(corpus, count)


def test_building_related_papers_never_imports_scikit_learn() -> None:
    code = (
        "import sys\n"
        "import digest.pipeline\n"
        "from pathlib import Path\n"
        "from digest.sources.listings import parse_listing\n"
        "from digest.papers.merge import merge\n"
        "from digest.papers.related import related_papers\n"
        "source = sorted(Path('content/sources').glob('*.txt'))[0]\n"
        "papers = merge([parse_listing(source.name, source.read_bytes())[0]])\n"
        "assert all(len(r) == 5 for r in related_papers(papers).values())\n"
        "assert 'sklearn' not in sys.modules, 'scikit-learn was imported'\n"
    )
    root = Path(related.__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
