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
import zlib

try:  # installed with Natasha; the MinHash below is the same without it, only slower
    import numpy
except ImportError:  # pragma: no cover
    numpy = None  # type: ignore[assignment]

from polosa.search.analysis import STOPWORDS, stem, words

HASHES = 16
ROWS_PER_BAND = 2
BANDS = HASHES // ROWS_PER_BAND
SIMILAR = 0.5
MAX_WORDS = 400

_MASK = (1 << 63) - 1
# One fixed random 32-bit mask per hash function: h XOR mask permutes the stem hashes differently for
# each, which is all MinHash needs and far cheaper in Python than arithmetic hash families.
_MASKS = [
    int.from_bytes(hashlib.blake2b(f"polosa-wire-{i}".encode(), digest_size=4).digest(), "little")
    for i in range(HASHES)
]
_MASK_COLUMN = numpy.array(_MASKS, dtype=numpy.uint32)[:, None] if numpy is not None else None
# A band's bytes: its number, then its rows as little-endian 32-bit values.
_BAND = struct.Struct(f"<B{ROWS_PER_BAND}I")


def fingerprint(text: str = "", text_words: list[str] | None = None) -> str:
    """The same for texts that differ only in case, «ё», punctuation, markup or spacing."""
    text_words = words(text) if text_words is None else text_words
    return hashlib.sha256(" ".join(text_words).encode()).hexdigest()


def stems_of(text: str) -> set[str]:
    return {stem(w) for w in words(text)[:MAX_WORDS] if w not in STOPWORDS and len(w) > 1}


def signature(text: str = "", stems: set[str] | None = None) -> list[int]:
    """The MinHash of the text's stems ([] for a text too short to compare).

    Pass `stems` when they are at hand already (the ingest has them from the search index's stems).
    """
    stems = stems_of(text) if stems is None else stems
    if len(stems) < 5:
        return []
    # CRC-32 is enough to tell a few hundred stems apart and much cheaper than a cryptographic hash.
    hashes = [zlib.crc32(s.encode()) for s in stems]
    if _MASK_COLUMN is not None:
        # All sixteen minima at once (the loop below was a fifth of the ingest's own time).
        return (numpy.array(hashes, dtype=numpy.uint32) ^ _MASK_COLUMN).min(axis=1).tolist()
    return [min(map(mask.__xor__, hashes)) for mask in _MASKS]


def bands(sig: list[int]) -> list[int]:
    """One signed 63-bit value per band (band number mixed in, so equal rows of different bands differ)."""
    values = []
    for band in range(BANDS if sig else 0):
        packed = _BAND.pack(band, *sig[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND])
        digest = hashlib.blake2b(packed, digest_size=8).digest()
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
