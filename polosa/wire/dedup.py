"""Content fingerprints (exact duplicates) and MinHash signatures (near-duplicates across agencies).

Both work on the project's Russian analysis (`polosa.search.analysis`): words lower-cased with «ё»
folded for the fingerprint, so a re-sent item with a new envelope, other markup or spacing is the same;
Snowball stems for the signature, so «ставку» and «ставка» count as one word. Two items whose stem sets
overlap by about half or more (estimated Jaccard similarity) are grouped. Candidates are found through
LSH bands (`WireBand`), an indexed lookup, so grouping does not compare an item with every other.
"""

from __future__ import annotations

import hashlib
import struct

from polosa.search.analysis import STOPWORDS, stem, words

HASHES = 16
ROWS_PER_BAND = 2
BANDS = HASHES // ROWS_PER_BAND
SIMILAR = 0.5
MAX_WORDS = 400

_PRIME = (1 << 61) - 1
_MASK = (1 << 63) - 1
# Fixed coefficients of the HASHES universal hash functions (derived, so they never change).
_COEFFICIENTS = [
    struct.unpack("<QQ", hashlib.blake2b(f"polosa-wire-{i}".encode(), digest_size=16).digest())
    for i in range(HASHES)
]


def fingerprint(text: str) -> str:
    """The same for texts that differ only in case, «ё», punctuation, markup or spacing."""
    return hashlib.sha256(" ".join(words(text)).encode()).hexdigest()


def _stem_hashes(text: str) -> set[int]:
    stems = {stem(w) for w in words(text)[:MAX_WORDS] if w not in STOPWORDS and len(w) > 1}
    return {int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little") for s in stems}


def signature(text: str) -> list[int]:
    """The MinHash of the text's stems ([] for a text too short to compare)."""
    hashes = _stem_hashes(text)
    if len(hashes) < 5:
        return []
    return [min((a * h + b) % _PRIME for h in hashes) for a, b in _COEFFICIENTS]


def bands(sig: list[int]) -> list[int]:
    """One signed 63-bit value per band (band number mixed in, so equal rows of different bands differ)."""
    values = []
    for band in range(BANDS if sig else 0):
        rows = sig[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND]
        digest = hashlib.blake2b(repr((band, rows)).encode(), digest_size=8).digest()
        values.append((int.from_bytes(digest, "little") & _MASK) - (1 << 62))
    return values


def encode(sig: list[int]) -> str:
    return ",".join(f"{value:x}" for value in sig)


def decode(text: str) -> list[int]:
    return [int(value, 16) for value in text.split(",")] if text else []


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of the two stem sets."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)
