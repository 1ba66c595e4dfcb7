"""Related papers: for each paper, the five whose words are closest (TF-IDF cosine).

The papers' TF-IDF rows are tfidf.py's: scikit-learn's, to the bit, without importing it.

The scores are sparse matrix products by SciPy, one square block of papers by papers at a
time (16 MB of scores at once), never an all-pairs loop in Python. A block and its mirror
image across the diagonal hold the same scores, so only the blocks on and above it are
computed, each serving its rows and its columns. The blocks on the diagonal come first,
screened dense: each paper's scores fall in groups, and a group's maximum tells whether it
can hold one of the paper's best. Then every paper has a floor, its best so far, and the
other blocks stay sparse: only the few scores reaching a floor are ever ranked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np

from ..model import Paper
from ..text import plain_text
from .tfidf import tfidf

if TYPE_CHECKING:
    import scipy.sparse as sp

RELATED = 5
TITLE_WEIGHT = 3  # a title's words say more about a paper than any sentence of its abstract
# A word in more papers than this (or in half of them) says little about which two papers
# are related, its IDF being small, yet every pair of papers sharing it costs the product
# a term: leaving such words out keeps a large digest's products sparse. It never bites
# below 5,000 papers; at 50,000 it halved the time (measured with scikit-learn's TF-IDF and
# one product per chunk of rows: 78 s -> 38 s of CPU).
COMMON_IN_PAPERS = 2500
BLOCK = 2048  # papers per side of a block of scores: 16 MB of float32 at once
THREADS = 2  # threads scoring blocks (see _best)
GROUPS = 64  # a row's scores in a diagonal block fall in this many groups (see _keep_best)


def related_papers(papers: Sequence[Paper], count: int = RELATED) -> dict[str, tuple[str, ...]]:
    """Each paper's `count` most similar papers, ties broken by slug: same content, same lists."""
    return related_texts(texts_of(papers), count)


def texts_of(papers: Sequence[Paper]) -> list[tuple[str, str, str]]:
    """What related papers are computed from: each paper's slug, title and abstract."""
    return [(p.slug, p.title, p.abstract) for p in papers]


def related_texts(
    papers: Sequence[tuple[str, str, str]], count: int = RELATED
) -> dict[str, tuple[str, ...]]:
    """related_papers() over (slug, title, abstract) triples."""
    ordered = sorted(papers)
    slugs = [slug for slug, _, _ in ordered]
    if len(ordered) < 2 or count < 1:
        return dict.fromkeys(slugs, ())
    texts = [
        (plain_text(title) + " ") * TITLE_WEIGHT + plain_text(abstract)
        for _, title, abstract in ordered
    ]
    matrix = tfidf(texts, min(0.5, COMMON_IN_PAPERS / len(texts)))
    if matrix is None:  # no words at all (every text empty or stop words)
        return dict.fromkeys(slugs, ())
    del texts  # a fifth of the memory _best needs, at 50,000 papers
    best = _best(matrix, count).tolist()
    return {slug: tuple(slugs[j] for j in best[i] if j >= 0) for i, slug in enumerate(slugs)}


def _best(matrix: sp.csr_array, count: int) -> np.ndarray:
    """Each row's `count` best other rows by rounded score then number, -1 where none.

    The scores are the rows' products, computed one square block of rows by columns at a
    time and only on and above the diagonal: the mirrored block has the same scores, to the
    bit, since both sum the words two papers share in the same order.
    """
    total = matrix.shape[0]
    side = min(BLOCK, -(-total // GROUPS) * GROUPS)  # a whole number of groups
    starts = range(0, total, side)
    blocks = [_padded_rows(matrix, start, side) for start in starts]
    transposed = [block.T.tocsr() for block in blocks]
    # SciPy's products and NumPy's screening let go of the interpreter lock, so threads
    # share the pairs of blocks. The blocks on the diagonal come first: a paper's
    # near-copies, whose slugs sort side by side, are mostly there, and once every row has
    # `count` best, few scores of the other blocks pass. A diagonal block touches only its
    # own rows, so its threads share one `best`; afterwards each keeps its own, merged at
    # the end.
    best = np.full((len(starts) * side, count), -1, np.int64)
    diagonal = [(i, i) for i in range(len(blocks))]
    _in_threads(diagonal, lambda _, pairs: _score_blocks(blocks, transposed, pairs, best, total))
    above = [(i, j) for i in range(len(blocks)) for j in range(i + 1, len(blocks))]
    bests = [best] + [best.copy() for _ in range(1, min(THREADS, len(above)))]
    _in_threads(above, lambda k, pairs: _score_blocks(blocks, transposed, pairs, bests[k], total))
    for other in bests[1:]:  # holding the diagonal's best too: _merge drops the doubles
        rows, ranks = np.nonzero(other >= 0)
        _merge(best, rows, other[rows, ranks])
    found = best[:total]
    return np.where(found >= 0, total - 1 - found % total, -1)


def _in_threads(
    pairs: list[tuple[int, int]], work: Callable[[int, list[tuple[int, int]]], None]
) -> None:
    """`work(k, pairs[k::THREADS])` in each of THREADS threads (fewer if fewer pairs)."""
    threads = min(THREADS, len(pairs))
    if threads:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(work, range(threads), [pairs[k::threads] for k in range(threads)]))


def _score_blocks(
    blocks: list[sp.csr_array],
    transposed: list[sp.csr_array],
    pairs: list[tuple[int, int]],
    best: np.ndarray,
    total: int,
) -> None:
    """Score block i's papers against block j's for each pair, into `best` for both."""
    side = blocks[0].shape[0]
    for i, j in pairs:
        scores = blocks[i] @ transposed[j]
        if i == j:
            _keep_best_dense(best, scores, i * side, total)
            continue
        row_floors = _floor(best[i * side : (i + 1) * side], total)
        column_floors = _floor(best[j * side : (j + 1) * side], total)
        least = _keep_best_sparse(
            best, scores, row_floors, column_floors, i * side, j * side, total
        )
        # A paper with fewer than `count` best so far (sharing few words with any other,
        # or none) takes every score, those below `least` from its own row of scores.
        short = np.flatnonzero(row_floors < 0)
        if len(short):
            _offer_below(best, scores[short], i * side + short, j * side, least, total)
        short = np.flatnonzero(column_floors < 0)
        if len(short):
            mirrored = blocks[j][short] @ transposed[i]  # the same scores, to the bit
            _offer_below(best, mirrored, j * side + short, i * side, least, total)


def _keep_best_dense(best: np.ndarray, scores: sp.csr_array, start: int, total: int) -> None:
    """Merge a diagonal block's best scores into `best`.

    Dense, for its rows' groups of scores: group g of row r holds the scores of columns g,
    g + GROUPS, g + 2 * GROUPS... so the near-copies of a paper fall in different groups,
    and `count` groups whose maxima reach a row's `count`-th largest hold its best.
    """
    side = scores.shape[0]
    dense = scores.toarray()
    np.fill_diagonal(dense, 0)  # never itself
    groups = dense.reshape(side, side // GROUPS, GROUPS).transpose(0, 2, 1)
    _keep_best(best, groups, start, start, total)


def _keep_best_sparse(
    best: np.ndarray,
    scores: sp.csr_array,
    row_floors: np.ndarray,
    column_floors: np.ndarray,
    row0: int,
    column0: int,
    total: int,
) -> int:
    """Merge a block above the diagonal into `best`, for its rows and for its columns, but
    the scores below the returned bits, `least`, of the rows and columns below `count`.

    Its rows and columns mostly have their `count` best from the diagonal, so only the few
    scores reaching a row's or a column's floor are ranked: screened as they come, sparse,
    the block is never made dense (at 50,000 papers a tenth of its scores are not 0, and
    making and screening it dense took 4 times as long).
    """
    floors = np.concatenate((row_floors, column_floors))
    floors = floors[floors >= 0]  # the rows' and columns' that have `count` best
    least = int(_floor_bits(floors.min(initial=2.0)))  # above 1 if none: all are short
    # One pass over the block against the lowest floor leaves few scores, each then held
    # to its row's floor and its column's: gathering every score's column floor first took
    # twice as long as the whole product.
    bits = scores.data.view(np.int32)  # scores are >= 0, so their bits order as they do
    at = np.flatnonzero(bits >= least)
    rows = np.searchsorted(scores.indptr, at, "right") - 1
    columns = scores.indices[at]
    bits = bits[at]
    enter = bits >= _floor_bits(row_floors)[rows]
    _offer(best, row0 + rows[enter], column0 + columns[enter], bits[enter], total)
    enter = bits >= _floor_bits(column_floors)[columns]
    _offer(best, column0 + columns[enter], row0 + rows[enter], bits[enter], total)
    return least


def _offer_below(
    best: np.ndarray, scores: sp.csr_array, rows: np.ndarray, column0: int, least: int, total: int
) -> None:
    """Merge into `best` the scores below `least` (float32 bits) of `rows`."""
    bits = scores.data.view(np.int32)
    at = np.flatnonzero((bits < least) & (bits > 0))
    which = np.searchsorted(scores.indptr, at, "right") - 1
    _offer(best, rows[which], column0 + scores.indices[at], bits[at], total)


def _padded_rows(matrix: sp.csr_array, start: int, side: int) -> sp.csr_array:
    """Rows start to start + side, empty ones added past the end so every block is square."""
    part = matrix[start : start + side]
    part.resize(side, matrix.shape[1])
    return part


def _keep_best(best: np.ndarray, groups: np.ndarray, row0: int, column0: int, total: int) -> None:
    """Merge a block's best scores into `best`.

    `groups[r, g, k]` is the score of row `row0 + r` and column `column0 + k * GROUPS + g`.
    """
    count = best.shape[1]
    side, per_row, _ = groups.shape
    bits = groups.view(np.int32)  # scores are >= 0, so their bits order as they do, faster
    maxima = bits.max(axis=2)
    # `count` groups whose maxima reach the `count`-th largest hold at least `count` scores
    # at least as high, so a row's best in this block reach it; nor can a score below the
    # row's `count`-th best so far enter.
    floor = _floor(best[row0 : row0 + side], total)
    short = np.flatnonzero(floor < 0)  # rows with fewer than `count` so far
    if per_row > count and len(short):
        local = np.partition(maxima[short], per_row - count, axis=1)[:, -count]
        floor[short] = local.view(np.float32)
    floor = _floor_bits(floor)
    rows, which = np.nonzero(maxima >= floor[:, None])
    scores = bits[rows, which]
    hit, at = np.nonzero(scores >= floor[rows, None])
    rows, columns = rows[hit], column0 + at * per_row + which[hit]
    _offer(best, row0 + rows, columns, scores[hit, at], total)


def _floor(best: np.ndarray, total: int) -> np.ndarray:
    """The rounded score of each row's `count`-th best so far (below 0 if it has fewer)."""
    return best[:, -1] // total * 1e-6


def _floor_bits(floor: np.ndarray | float) -> np.ndarray:
    """The bits of the least score that may enter above each floor: loosened by 2e-6 for
    the rounding, and never 0 (a paper sharing no word is not related)."""
    return np.maximum((floor - 2e-6).astype(np.float32).view(np.int32), 1)


def _offer(
    best: np.ndarray, rows: np.ndarray, columns: np.ndarray, bits: np.ndarray, total: int
) -> None:
    """Merge the scores (float32 bits) of `rows` with `columns` into `best`, those that enter.

    A key orders as the lists do: the score rounded to 6 decimals (so float noise cannot
    reorder ties), higher first, then the lower column number (the slugs are sorted).
    """
    # A float32 times 1e6 is exact in float64 (24 + 14 bits), so rint rounds it half to even
    # just as round(score, 6) does: the millionths, times `total`, make room for the column.
    scores = bits.view(np.float32).astype(np.float64)
    keys = np.rint(scores * 1e6).astype(np.int64) * total + (total - 1 - columns)
    better = keys > best[rows, -1]  # among equal rounded scores, only a lower column can enter
    _merge(best, rows[better], keys[better])


def _merge(best: np.ndarray, rows: np.ndarray, keys: np.ndarray) -> None:
    """Keep in `best` each row's highest keys, from those it has and `keys` for `rows`."""
    count = best.shape[1]
    touched = np.unique(rows)
    rows = np.concatenate((np.repeat(touched, count), rows))
    keys = np.concatenate((best[touched].ravel(), keys))
    order = np.lexsort((-keys, rows))
    rows, keys = rows[order], keys[order]
    # The same key twice only from the threads' bests, each holding the diagonal blocks'.
    once = np.ones(len(rows), bool)
    once[1:] = (rows[1:] != rows[:-1]) | (keys[1:] != keys[:-1]) | (keys[1:] < 0)
    rows, keys = rows[once], keys[once]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows)
    kept = rank < count
    best[rows[kept], rank[kept]] = keys[kept]
