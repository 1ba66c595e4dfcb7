"""TF-IDF rows of texts, exactly as scikit-learn computes them, for related papers.

The text statistics are our own, on numpy and scipy.sparse, written to give exactly the
matrix of scikit-learn's TfidfVectorizer(stop_words="english", sublinear_tf=True,
max_df=..., dtype=float32), value for value and in the same order, so every score is the
same float32 and the lists the same as when scikit-learn computed them; importing it alone
cost more than a second on every build.
"""

from __future__ import annotations

import re
from array import array
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import scipy.sparse as sp

TEXTS_AT_ONCE = 1000  # texts split into words together (see _counts)

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
