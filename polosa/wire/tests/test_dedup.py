"""Fingerprints and MinHash signatures stay what they were: stored items are compared with new ones."""

import hashlib
import random

from polosa.wire import dedup


def _stem_sets():
    rng = random.Random(15)
    vocabulary = ["".join(rng.choice("абвгдежзиклмнопрстуфхцчшщыэюя") for _ in range(6)) for _ in range(500)]
    return [{rng.choice(vocabulary) for _ in range(n)} for n in (0, 4, 5, 12, 150, 400)]


def test_the_signature_is_the_same_with_numpy_and_without(monkeypatch):
    with_numpy = [dedup.signature(stems=stems) for stems in _stem_sets()]
    monkeypatch.setattr(dedup, "_MASK_COLUMN", None)
    assert [dedup.signature(stems=stems) for stems in _stem_sets()] == with_numpy
    assert with_numpy[0] == with_numpy[1] == []
    assert all(len(sig) == dedup.HASHES and all(isinstance(v, int) for v in sig) for sig in with_numpy[2:])


def test_band_values_keep_their_byte_layout():
    """A band is the blake2b of its number (one byte) and its rows (four bytes each, little-endian)."""
    for sig in (dedup.signature(stems=stems) for stems in _stem_sets()):
        expected = []
        for band in range(dedup.BANDS if sig else 0):
            rows = sig[band * dedup.ROWS_PER_BAND : (band + 1) * dedup.ROWS_PER_BAND]
            packed = band.to_bytes(1, "little") + b"".join(row.to_bytes(4, "little") for row in rows)
            digest = hashlib.blake2b(packed, digest_size=8).digest()
            expected.append((int.from_bytes(digest, "little") & ((1 << 63) - 1)) - (1 << 62))
        assert dedup.bands(sig) == expected


def test_the_ingest_words_and_stems_are_those_of_the_search_analysis():
    from polosa.search.analysis import stems_text, words
    from polosa.wire.ingest import _kept_stem, _words

    text = "Ёлки_и ПАЛКИ: «Газпром» и Sberbank’s 2026-й год — и, не, в ТАСС; ещё раз Ёж и ёжики"
    assert _words(text) == words(text)
    assert " ".join(filter(None, map(_kept_stem, _words(text)))) == stems_text(text)
