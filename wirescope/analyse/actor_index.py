"""Per-document token indexes of the actors stage, each computed once per document: sentence
boundaries (a token's sentence by bisection), token positions by word (numpy arrays over the
document's distinct words, so no Python object is made for every token) and the head of a span."""
from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from typing import Any


# ---- token positions by word (one array per document, no Python pass over every token) -----------
_LOWER_CACHE: dict[int, tuple[Any, Any]] = {}


def _lower_array(doc):
    cached = _LOWER_CACHE.get(id(doc))
    if cached is not None and cached[0] is doc:
        return cached[1]
    import numpy as np
    from spacy.attrs import LOWER

    arr = doc.to_array(LOWER) if len(doc) else np.zeros(0, dtype="uint64")
    _LOWER_CACHE.clear()
    _LOWER_CACHE[id(doc)] = (doc, arr)
    return arr


_ATTR_CACHE: dict[int, tuple[Any, dict[str, Any]]] = {}


def doc_arrays(doc) -> dict[str, Any]:
    """Per-document token arrays, computed once: coarse POS ids, the distinct lowercase forms and
    lemmas with each token's place among them (membership is then tested once per distinct word)."""
    cached = _ATTR_CACHE.get(id(doc))
    if cached is not None and cached[0] is doc:
        return cached[1]
    import numpy as np
    from spacy.attrs import LEMMA, POS

    arr = doc.to_array([POS, LEMMA])
    lower_u, lower_inv = np.unique(_lower_array(doc), return_inverse=True)
    lemma_u, lemma_inv = np.unique(arr[:, 1], return_inverse=True)
    out = {"pos": arr[:, 0], "lower_u": lower_u.tolist(), "lower_inv": lower_inv.reshape(-1),
           "lemma_u": lemma_u.tolist(), "lemma_inv": lemma_inv.reshape(-1)}
    _ATTR_CACHE.clear()
    _ATTR_CACHE[id(doc)] = (doc, out)
    return out


@lru_cache(maxsize=64)
def _hash_set(words: frozenset[str]) -> frozenset[int]:
    from spacy.strings import get_string_id

    return frozenset(get_string_id(w) for w in words)


def candidate_tokens(doc, pos_names: tuple[str, ...], lowers: frozenset[str],
                     lemma_lowers: frozenset[str] = frozenset()) -> list[int]:
    """Indices, in text order, of the tokens with one of the coarse tags whose lowercase form is
    one of `lowers` or whose lowercased lemma is one of `lemma_lowers`: a superset filter that
    spares a Python Token object for every other word of the document."""
    import numpy as np
    from spacy.symbols import IDS

    if len(doc) == 0:
        return []
    arrays = doc_arrays(doc)
    pos = arrays["pos"]
    mask = pos == IDS[pos_names[0]]
    for name in pos_names[1:]:
        mask |= pos == IDS[name]
    hashes = _hash_set(lowers)
    lower_u = arrays["lower_u"]
    words = np.fromiter((h in hashes for h in lower_u), dtype=bool, count=len(lower_u))[arrays["lower_inv"]]
    if lemma_lowers:
        strings = doc.vocab.strings
        lemma_u = arrays["lemma_u"]
        hit = np.fromiter((strings[h].lower() in lemma_lowers for h in lemma_u), dtype=bool, count=len(lemma_u))
        words |= hit[arrays["lemma_inv"]]
    return np.flatnonzero(mask & words).tolist()


def word_positions(doc, words: frozenset[str]) -> list[int]:
    """Indices of the tokens whose lowercase form is one of `words`, in text order."""
    import numpy as np

    if len(doc) == 0 or not words:
        return []
    arrays = doc_arrays(doc)
    hashes = _hash_set(words)
    lower_u = arrays["lower_u"]
    hit = np.fromiter((h in hashes for h in lower_u), dtype=bool, count=len(lower_u))
    return np.flatnonzero(hit[arrays["lower_inv"]]).tolist()


# ---- sentences: a token's sentence by bisection over the sentence starts ------------------------
_SENT_CACHE: dict[int, tuple[Any, list[int]]] = {}


def sentence_starts(doc) -> list[int]:
    """Token indices where sentences start (computed once per doc)."""
    cached = _SENT_CACHE.get(id(doc))
    if cached is not None and cached[0] is doc:
        return cached[1]
    starts = [s.start for s in doc.sents] if len(doc) else [0]
    _SENT_CACHE.clear()
    _SENT_CACHE[id(doc)] = (doc, starts)
    return starts


def sentence_no(doc, i: int) -> int:
    return max(0, bisect_right(sentence_starts(doc), i) - 1)


def sentence_start(doc, i: int) -> int:
    return sentence_starts(doc)[sentence_no(doc, i)]


def sentence_end(doc, i: int) -> int:
    starts = sentence_starts(doc)
    k = sentence_no(doc, i) + 1
    return starts[k] if k < len(starts) else len(doc)


def head_of(doc, i0: int, i1: int) -> int:
    for i in range(i1 - 1, i0 - 1, -1):
        h = doc[i].head.i
        if not (i0 <= h < i1) or h == i:
            return i
    return i1 - 1
