"""Syndication and near-duplicates: the same story republished by several outlets.

Each document gets a MinHash signature of its word 4-gram shingles (datasketch). Candidates come
from LSH: the signature is cut into bands, each band hashed to one integer and stored in
`minhash_bands` (indexed), so finding candidates is one indexed `hash IN (...)` lookup whatever
the size of the knowledge base. Candidates are then verified on the estimated Jaccard similarity
of the full signatures. A copy points at the original report (`documents.duplicate_of`), never at
another copy, so syndicated copies collapse onto one independent source.

`check(conn, analysis)` runs inside the document's write transaction, before the document row is
written; `index_document(conn, doc_id)` stores the bands after it (called from the search indexer).
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import numpy as np
from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import Connection

from wirescope.store import schema as S
from wirescope.store.bulk import insert_rows

NUM_PERM = 128
BANDS = 32  # 32 bands x 4 rows: pairs above ~0.42 Jaccard become candidates
ROWS = NUM_PERM // BANDS
SHINGLE = 4  # words per shingle
THRESHOLD = 0.5  # estimated Jaccard at or above which a candidate is a copy
CONTAINED = 0.85  # ... or the share of the shorter text found in the longer (a cut copy)
CONTAINED_MIN_JACCARD = 0.3
MIN_WORDS = 12  # shorter texts are too generic to call copies
MAX_CANDIDATES = 20
SCHEME = "affine32"  # datasketch permutation scheme; stored signatures depend on it

_WORD = re.compile(r"\w+", re.UNICODE)


_SIG_KEY = "wirescope.syndication.signature"  # conn.info: (doc_id, signature) of the document being written


@lru_cache(maxsize=1)
def _minhash_class():
    """datasketch's MinHash, imported on first use (the package pulls in scipy: a one-off cost per
    process, paid only by processes that store documents)."""
    from datasketch import MinHash

    return MinHash


def _minhash(**kwargs):
    MinHash = _minhash_class()
    try:
        return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, **kwargs)
    except TypeError:  # datasketch before 2.0 has one scheme and no `scheme` argument
        return MinHash(num_perm=NUM_PERM, seed=1, **kwargs)


@lru_cache(maxsize=1)
def _template():
    return _minhash()


def shingles(text: str) -> list[bytes]:
    words = _WORD.findall(text.casefold())
    if len(words) < MIN_WORDS:
        return []
    return list({" ".join(words[i:i + SHINGLE]).encode("utf-8", "surrogatepass")
                 for i in range(len(words) - SHINGLE + 1)})


# datasketch 2.x "affine32" MinHash computed here with numpy, value for value the same (SHA-1's first
# 4 bytes little-endian, the MurmurHash3 32-bit finalizer, h -> a * h + b mod 2^32 with datasketch's
# RandomState(seed) parameters): no datasketch/scipy import, no per-document MinHash object.
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)


@lru_cache(maxsize=1)
def _native_affine32() -> bool:
    """Whether the installed datasketch computes what the native path computes (2.x, affine32)."""
    if SCHEME != "affine32":
        return False
    try:
        from importlib.metadata import version

        return int(version("datasketch").split(".")[0]) >= 2
    except Exception:  # noqa: BLE001 - unknown version: let datasketch compute
        return False


@lru_cache(maxsize=1)
def _affine32_permutations() -> tuple[np.ndarray, np.ndarray]:
    gen = np.random.RandomState(1)  # datasketch MinHash._init_permutations, seed=1, width 32
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _affine32_values(grams: list[bytes]) -> list[int]:
    digest = b"".join(hashlib.sha1(g).digest()[:4] for g in grams)
    hv = np.frombuffer(digest, dtype="<u4").astype(np.uint32)
    s1, m1, s2, m2, s3 = _FMIX32
    hv = hv ^ (hv >> np.uint32(s1))
    hv = hv * np.uint32(m1)
    hv = hv ^ (hv >> np.uint32(s2))
    hv = hv * np.uint32(m2)
    hv = hv ^ (hv >> np.uint32(s3))
    a, b = _affine32_permutations()
    phv = hv.reshape(-1, 1) * a + b  # uint32: wraps mod 2^32
    return [int(v) for v in phv.min(axis=0)]


def signature(text: str) -> dict | None:
    """{"scheme", "shingles": how many, "values": the MinHash values}, None for very short texts."""
    grams = shingles(text)
    if not grams:
        return None
    if _native_affine32():
        return {"scheme": SCHEME, "shingles": len(grams), "values": _affine32_values(grams)}
    m = _minhash(permutations=_template().permutations)
    m.update_batch(grams)
    return {"scheme": SCHEME, "shingles": len(grams), "values": [int(v) for v in m.hashvalues]}


def _values(sig) -> list[int]:
    if isinstance(sig, dict):
        return sig.get("values") or []
    return list(sig or [])


def band_hashes(sig) -> list[int]:
    sig = _values(sig)
    out = []
    for band in range(BANDS):
        rows = sig[band * ROWS:(band + 1) * ROWS]
        raw = band.to_bytes(2, "big") + b"".join(int(v).to_bytes(8, "big") for v in rows)
        out.append(int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "big") & 0x7FFFFFFFFFFFFFFF)
    return out


def similarity(a, b) -> float:
    """Estimated Jaccard similarity of two signatures."""
    a, b = _values(a), _values(b)
    if not a or not b or len(a) != len(b):
        return 0.0
    return float(np.mean(np.asarray(a, dtype=np.uint64) == np.asarray(b, dtype=np.uint64)))


def containment(a, b, jaccard: float) -> float:
    """Estimated share of the smaller shingle set found in the larger one."""
    na = a.get("shingles") if isinstance(a, dict) else None
    nb = b.get("shingles") if isinstance(b, dict) else None
    if not na or not nb:
        return jaccard
    inter = jaccard * (na + nb) / (1 + jaccard)
    return min(1.0, inter / min(na, nb))


def is_copy(a, b) -> tuple[bool, float]:
    j = similarity(a, b)
    return (j >= THRESHOLD or (j >= CONTAINED_MIN_JACCARD and containment(a, b, j) >= CONTAINED)), j


def check(conn: Connection, analysis) -> tuple[str | None, float | None, dict | None]:
    """(the original this document republishes or None, its similarity, the MinHash signature)."""
    from wirescope.resolve import begin_document

    begin_document(conn, analysis)  # the resolver sees the whole document before its actors
    doc = analysis.document
    sig = signature(doc.text)
    conn.info[_SIG_KEY] = (doc.id, sig)
    if sig is None:
        return None, None, None
    hashes = band_hashes(sig)
    b = S.minhash_bands
    rows = conn.execute(
        select(b.c.doc_id, func.count().label("n")).where(b.c.hash.in_(hashes)).group_by(b.c.doc_id)
        .order_by(func.count().desc()).limit(MAX_CANDIDATES)
    ).all()
    if not rows:
        return None, None, sig
    d = S.documents
    found = conn.execute(
        select(d.c.id, d.c.minhash, d.c.duplicate_of, d.c.published).where(d.c.id.in_([r.doc_id for r in rows]))
    ).all()
    best = None
    for row in found:
        copy, sim = is_copy(sig, row.minhash)
        if copy and (best is None or sim > best[0]):
            best = (sim, row)
    if best is None:
        return None, None, sig
    sim, row = best
    original = row.duplicate_of or row.id
    if original != row.id:
        published = conn.execute(select(d.c.published).where(d.c.id == original)).scalar()
    else:
        published = row.published
    if doc.published and published and str(doc.published)[:10] < str(published)[:10]:
        # the new document predates what we took for the original: it becomes the original
        conn.execute(update(d).where(or_(d.c.id == original, d.c.duplicate_of == original))
                     .values(duplicate_of=doc.id))
        conn.execute(update(d).where(d.c.id == original, d.c.similarity.is_(None)).values(similarity=round(sim, 4)))
        return None, None, sig
    return original, round(sim, 4), sig


def index_document(conn: Connection, doc_id: str) -> None:
    """Store the LSH bands of a stored document's signature (after its row is written)."""
    known = conn.info.pop(_SIG_KEY, None)
    if known is not None and known[0] == doc_id:  # computed by check() in this transaction
        sig = known[1]
    else:
        sig = conn.execute(select(S.documents.c.minhash).where(S.documents.c.id == doc_id)).scalar()
    if not sig:
        return
    insert_rows(conn, S.minhash_bands, [dict(doc_id=doc_id, band=i, hash=h) for i, h in enumerate(band_hashes(sig))])
