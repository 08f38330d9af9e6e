"""The entity benchmark's gold set is well formed and its scoring counts what it should."""

from collections import Counter

from benchmarks import nlp as bench
from polosa.nlp.extraction import Mention

CASES = {"nom", "gen", "dat", "acc", "ins", "loc"}


def test_the_gold_set_has_every_case_of_every_type_and_consistent_spans():
    gold = bench.load_gold()
    assert len(gold) >= 100
    covered = Counter((row["case"], e["type"]) for row in gold for e in row["entities"])
    for case in CASES:
        for kind in ("PER", "ORG", "LOC"):
            assert covered[(case, kind)] >= 5, (case, kind)
    for row in gold:
        for entity in row["entities"]:
            assert row["text"][entity["start"] : entity["stop"]] == entity["text"]


def test_scoring_counts_boundaries_types_and_nominatives():
    gold = [
        {
            "case": "dat",
            "text": "Письмо передали Игорю Лукину в Казани.",
            "entities": [
                {"type": "PER", "start": 16, "stop": 28, "text": "Игорю Лукину", "normal": "Игорь Лукин"},
                {"type": "LOC", "start": 31, "stop": 37, "text": "Казани", "normal": "Казань"},
            ],
        }
    ]

    def extract(text):
        return [
            Mention("PER", "Игорю Лукину", "Игорь Лукину", 16, 28),  # right span, wrong nominative
            Mention("ORG", "Казани", "Казань", 31, 37),  # wrong type
        ]

    result = bench.evaluate(gold, extract)
    assert (result["precision_PER"], result["recall_PER"], result["nominative_PER"]) == (1.0, 1.0, 0.0)
    assert (result["recall_LOC"], result["precision_ORG"]) == (0.0, 0.0)
    assert result["recall_by_case"] == {"dat/LOC": 0.0, "dat/PER": 1.0}
