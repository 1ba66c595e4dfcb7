"""Related papers: for each paper, the five whose words are closest (TF-IDF cosine).

The text statistics are our own, on numpy and scipy.sparse, written to give exactly the
matrix of scikit-learn's TfidfVectorizer(stop_words="english", sublinear_tf=True,
max_df=..., dtype=float32), value for value and in the same order, so every score is the
same float32 and the lists the same as when scikit-learn computed them; importing it alone
cost more than a second on every build.

The scores are sparse matrix products by SciPy, one square block of papers by papers at a
time (16 MB of scores at once), never an all-pairs loop in Python. A block and its mirror
image across the diagonal hold the same scores, so only the blocks on and above it are
computed, each serving its rows and its columns. The blocks on the diagonal come first,
screened dense: each paper's scores fall in groups, and a group's maximum tells whether it
can hold one of the paper's best. Then every paper has a floor, its best so far, and the
other blocks stay sparse: only the few scores reaching a floor are ever ranked.
"""

from __future__ import annotations

import re
from array import array
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np

from .model import Paper
from .text import plain_text

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
TEXTS_AT_ONCE = 1000  # texts split into words together (see _counts)
THREADS = 2  # threads scoring blocks (see _best)
GROUPS = 64  # a row's scores in a diagonal block fall in this many groups (see _keep_best)

# scikit-learn's ENGLISH_STOP_WORDS (sklearn/feature_extraction/_stop_words.py, from the
# Glasgow Information Retrieval Group's list), copied from scikit-learn 1.9, BSD-3-Clause,
# (c) the scikit-learn developers: the words no two papers are related by.
STOP_WORDS = frozenset(
    """
    a about above across after afterwards again against all almost alone along already also
    although always am among amongst amoungst amount an and another any anyhow anyone anything
    anyway anywhere are around as at back be became because become becomes becoming been before
    beforehand behind being below beside besides between beyond bill both bottom but by call can
    cannot cant co con could couldnt cry de describe detail do done down due during each eg
    eight either eleven else elsewhere empty enough etc even ever every everyone everything
    everywhere except few fifteen fifty fill find fire first five for former formerly forty
    found four from front full further get give go had has hasnt have he hence her here
    hereafter hereby herein hereupon hers herself him himself his how however hundred i ie if in
    inc indeed interest into is it its itself keep last latter latterly least less ltd made many
    may me meanwhile might mill mine more moreover most mostly move much must my myself name
    namely neither never nevertheless next nine no nobody none noone nor not nothing now nowhere
    of off often on once one only onto or other others otherwise our ours ourselves out over own
    part per perhaps please put rather re same see seem seemed seeming seems serious several she
    should show side since sincere six sixty so some somehow someone something sometime
    sometimes somewhere still such system take ten than that the their them themselves then
    thence there thereafter thereby therefore therein thereupon these they thick thin third this
    those though three through throughout thru thus to together too top toward towards twelve
    twenty two un under until up upon us very via was we well were what whatever when whence
    whenever where whereafter whereas whereby wherein whereupon wherever whether which while
    whither who whoever whole whom whose why will with within without would yet you your yours
    yourself yourselves
    """.split()  # noqa: SIM905  (318 words read better as text than one a line)
)
# scikit-learn's token pattern, applied to lower-cased text: runs of two or more word
# characters.
_WORD = re.compile(r"(?u)\b\w\w+\b")
# The same runs for ASCII text in one pass of C: A-Z become a-z and every byte that is not a
# word character a space, so splitting on white space gives the runs; one-letter runs are
# then dropped with the stop words.
_ASCII_WORDS = bytes(
    c + 32 if 65 <= c <= 90 else c if chr(c).isalnum() or c == 95 else 32 for c in range(256)
)
_END = "\x01"  # ends a text's words: no word holds it, not being a word character
_DROPPED = STOP_WORDS | {chr(c) for c in range(128) if chr(c).isalnum() or chr(c) == "_"}


def related_papers(papers: Sequence[Paper], count: int = RELATED) -> dict[str, tuple[str, ...]]:
    """Each paper's `count` most similar papers, ties broken by slug: same content, same lists."""
    return related_texts(texts_of(papers), count)


def texts_of(papers: Sequence[Paper]) -> list[tuple[str, str, str]]:
    """What related papers are computed from: each paper's slug, title and abstract (cheap
    to hand to another process, unlike the papers)."""
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


def tfidf(texts: Sequence[str], max_df: float) -> sp.csr_array | None:
    """Each text's TF-IDF row, exactly as scikit-learn's TfidfVectorizer computes it.

    That is TfidfVectorizer(stop_words="english", sublinear_tf=True, max_df=max_df,
    dtype=np.float32): the same float32 steps, and each row's words in the same order, for
    a product sums them in that order. None if no word is left.
    """
    # Imported here: SciPy takes a fifth of a second to import, and only this needs it.
    import scipy.sparse as sp

    counted = _counts(texts)
    total = len(texts)
    df = np.bincount(counted.indices, minlength=counted.shape[1])
    kept = df <= max_df * total  # scikit-learn's rule for max_df as a proportion
    if not kept.any():  # no word at all, or every one too common
        return None
    index = counted.indptr.dtype
    keep = kept[counted.indices]
    indptr = np.concatenate((np.zeros(1, index), np.cumsum(keep, dtype=index)))[counted.indptr]
    column = (np.cumsum(kept, dtype=index) - 1)[counted.indices[keep]]
    smooth = df[kept].astype(np.float32) + np.float32(1)  # as if one paper had every word
    idf = np.log(np.float32(total + 1) / smooth) + np.float32(1)
    data = (np.log(counted.data[keep]) + np.float32(1)) * idf[column]  # sublinear tf
    data = _unit_rows(data, indptr)
    return sp.csr_array((data, column, indptr), shape=(total, len(idf)))


def _counts(texts: Sequence[str]) -> sp.csr_array:
    """How many times each text holds each word, as float32.

    Words are numbered in order of first appearance, as scikit-learn builds its vocabulary;
    its rows keep their words sorted by that number, whatever the columns are called later.
    """
    import scipy.sparse as sp

    number: defaultdict[str, int] = defaultdict()
    number.default_factory = number.__len__  # a new word takes the next number
    number[_END] = 0
    # Every word numbered as it comes, the dropped ones too, TEXTS_AT_ONCE texts at a time:
    # one split and one numbering of many texts' words cost less than one of each text's.
    numbered = array("i", [0])  # compact, unlike a list of ints, and freeing the words
    for start in range(0, len(texts), TEXTS_AT_ONCE):
        numbered.extend(map(number.__getitem__, _words(texts[start : start + TEXTS_AT_ONCE])))
    tokens = np.frombuffer(numbered, np.int32)  # _END first, then each text's and _END
    word = np.fromiter((w not in _DROPPED for w in number), bool, len(number))
    word[0] = False  # _END
    index = np.int32 if len(tokens) < 2**31 else np.int64  # as scikit-learn's, and lighter
    is_word = word[tokens]
    indptr = np.cumsum(is_word, dtype=index)[tokens == 0]
    columns = (np.cumsum(word, dtype=index) - 1)[tokens[is_word]]
    counted = sp.csr_array(
        (np.ones(len(columns), np.float32), columns, indptr),
        shape=(len(texts), int(np.count_nonzero(word))),
    )
    counted.sum_duplicates()  # also sorts each row's words by number
    return counted


def _words(texts: Sequence[str]) -> list[str]:
    """The texts' words, in order, each text's followed by _END, as scikit-learn's token
    pattern finds them in the lower-cased text, and one-letter words."""
    found = [
        text.encode().translate(_ASCII_WORDS)
        if text.isascii()
        else " ".join(_WORD.findall(text.lower())).encode()  # no word holds white space
        for text in texts
    ]
    found.append(b"")
    return b" \x01 ".join(found).decode().split()


def _unit_rows(data: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Each row divided by its Euclidean length, rounded as scikit-learn's normalize rounds.

    That is float32 squares summed one by one in float64 in the row's order, the square
    root in float64, and each value divided in float64 and rounded to float32.
    """
    squares = (data * data).astype(np.float64)
    lengths = np.diff(indptr)
    longest_first = np.argsort(-lengths, kind="stable")
    starts = indptr[:-1][longest_first]
    shortest_last = -lengths[longest_first]
    sums = np.zeros(len(lengths))
    for k in range(int(lengths.max(initial=0))):
        rows = int(np.searchsorted(shortest_last, -k))  # the rows longer than k, in front
        sums[:rows] += squares[starts[:rows] + k]
    norms = np.empty_like(sums)
    norms[longest_first] = np.sqrt(sums)
    return (data / np.repeat(norms, lengths)).astype(np.float32)


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
