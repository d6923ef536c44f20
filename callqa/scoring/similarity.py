"""Character n-gram TF-IDF cosine similarity of two short texts.

The numbers are exactly those of scikit-learn's
``TfidfVectorizer(analyzer="char", ngram_range=(lo, hi))`` fitted on the two texts
(smooth idf, raw term counts, l2 norm) followed by ``cosine_similarity`` — a test checks
the two agree.  It is computed here in plain Python because fitting a vectorizer costs
about 3 ms per pair, three times the whole per-call scoring budget; this takes ~20 µs.
Texts are compared in their normalised form (`callqa.speech.textnorm.phrase_key`): simplified,
half-width, without punctuation or spaces.
"""

from __future__ import annotations

import math
from collections import Counter

from callqa.speech.textnorm import phrase_key


def char_ngrams(text: str, lo: int, hi: int) -> Counter[str]:
    """Counts of the character n-grams of `text` for n in [lo, hi]."""
    grams: Counter[str] = Counter()
    for n in range(lo, hi + 1):
        grams.update([text[i : i + n] for i in range(len(text) - n + 1)])
    return grams


def tfidf_cosine(a: str, b: str, *, ngram_range: tuple[int, int] = (2, 2)) -> float:
    """Cosine similarity of `a` and `b` as TF-IDF vectors fitted on just these two texts."""
    return cosine_of_keys(phrase_key(a), phrase_key(b), ngram_range=ngram_range)


_IDF_ONE = math.log(3 / 2) + 1.0
"""Smooth idf of a term found in one of two documents: ln((1 + 2) / (1 + 1)) + 1."""
# A term found in both documents has idf ln(3 / 3) + 1 = 1.


def cosine_of_keys(a: str, b: str, *, ngram_range: tuple[int, int] = (2, 2)) -> float:
    """`tfidf_cosine` of texts already normalised with `phrase_key`."""
    lo, hi = ngram_range
    ca, cb = char_ngrams(a, lo, hi), char_ngrams(b, lo, hi)
    if not ca or not cb:
        return 0.0
    shared = ca.keys() & cb.keys()
    if not shared:
        return 0.0
    one2 = _IDF_ONE * _IDF_ONE
    norm_a = sum(c * c * (1.0 if t in shared else one2) for t, c in ca.items())
    norm_b = sum(c * c * (1.0 if t in shared else one2) for t, c in cb.items())
    dot = sum(ca[t] * cb[t] for t in shared)
    return dot / math.sqrt(norm_a * norm_b)
