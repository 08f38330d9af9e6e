"""Entity quality and speed of the tag suggestions (polosa.nlp) on a gold-annotated Russian set.

    python -m benchmarks.nlp [--runs 20] [--json var/bench/nlp.json] [--check]
    make bench-nlp

The gold set (benchmarks/nlp_gold.jsonl) is sentences invented for the project, each exercising one
grammatical case (nominative … prepositional) of people, organisations and places, plus mixed ones.
A found mention counts when its type and its boundaries are those of a gold one (quotation marks
at either end ignored); precision, recall and F1 are given per type, and the share of those found
whose nominative form is the gold one. Then the time of a whole suggestion (extraction, grouping,
matching against a tag index of the gold set's names) for a 5,000-character article made of the
gold sentences — denser in names than real news, so an upper bound — over `--runs` runs after one
warm-up, and the models' load time and the resident memory they add to this process.

Targets of the tag suggestions: F1 people ≥ 0.90, places ≥ 0.85, organisations ≥ 0.75; < 300 ms per
5,000 characters; load < 5 s; < 300 MB. `--check` exits 1 when one is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
GOLD = Path(__file__).resolve().parent / "nlp_gold.jsonl"
ARTICLE_CHARS = 5000
TARGETS = {"f1_PER": 0.90, "f1_LOC": 0.85, "f1_ORG": 0.75}
MAX_MS, MAX_LOAD_S, MAX_MB = 300, 5, 300
QUOTES = "«»\"“”„'"


def load_gold(path: Path = GOLD) -> list[dict]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if "text" in row:
            rows.append(row)
    return rows


def _bounds(text: str, start: int, stop: int) -> tuple[int, int]:
    while start < stop and text[start] in QUOTES:
        start += 1
    while stop > start and text[stop - 1] in QUOTES:
        stop -= 1
    return start, stop


def _fold(text: str) -> str:
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").split())


def evaluate(gold: list[dict], extract) -> dict:
    """Precision, recall and F1 per type; nominative accuracy; recall per case."""
    tp, fp, fn, normal_ok = Counter(), Counter(), Counter(), Counter()
    case_found, case_total = Counter(), Counter()
    for row in gold:
        text = row["text"]
        expected = {(e["type"], *_bounds(text, e["start"], e["stop"])): e for e in row["entities"]}
        found = {(m.type, *_bounds(text, m.start, m.stop)): m for m in extract(text)}
        for key, entity in expected.items():
            case_total[(row["case"], key[0])] += 1
            if key in found:
                tp[key[0]] += 1
                case_found[(row["case"], key[0])] += 1
                if _fold(found[key].normal.strip(QUOTES)) == _fold(entity["normal"]):
                    normal_ok[key[0]] += 1
            else:
                fn[key[0]] += 1
        for key in found.keys() - expected.keys():
            fp[key[0]] += 1
    result = {}
    for kind in ("PER", "ORG", "LOC"):
        p = tp[kind] / (tp[kind] + fp[kind]) if tp[kind] + fp[kind] else 0.0
        r = tp[kind] / (tp[kind] + fn[kind]) if tp[kind] + fn[kind] else 0.0
        result[f"precision_{kind}"] = round(p, 3)
        result[f"recall_{kind}"] = round(r, 3)
        result[f"f1_{kind}"] = round(2 * p * r / (p + r) if p + r else 0.0, 3)
        result[f"nominative_{kind}"] = round(normal_ok[kind] / tp[kind], 3) if tp[kind] else 0.0
        result[f"gold_{kind}"] = tp[kind] + fn[kind]
    result["recall_by_case"] = {
        f"{case}/{kind}": round(case_found[(case, kind)] / n, 3)
        for (case, kind), n in sorted(case_total.items())
    }
    return result


def article_of(gold: list[dict], chars: int = ARTICLE_CHARS) -> str:
    parts, size, i = [], 0, 0
    while size < chars:
        sentence = gold[i % len(gold)]["text"]
        parts.append(sentence)
        size += len(sentence) + 1
        i += 1
    return " ".join(parts)[:chars]


def time_suggestions(gold: list[dict], runs: int) -> dict:
    from polosa.news.models import Tag, TagKind
    from polosa.nlp import extraction, matching

    kinds = {"PER": TagKind.PERSON, "ORG": TagKind.ORGANISATION, "LOC": TagKind.PLACE}
    names = {(e["type"], e["normal"]) for row in gold for e in row["entities"]}
    tags = [Tag(pk=i, kind=kinds[t], name=name, slug=f"t{i}") for i, (t, name) in enumerate(sorted(names), 1)]
    index = matching.TagIndex(tags)
    text = article_of(gold)

    def once():
        return matching.suggest(matching.group(extraction.extract(text)), index)

    once()  # warm-up: caches of word forms and parses
    wall, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        suggestions = once()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return {
        "article_chars": len(text),
        "suggestions": len(suggestions),
        "matched": sum(1 for s in suggestions if s.tag is not None),
        "ms_median": round(statistics.median(wall), 1),
        "ms_max": round(max(wall), 1),
        "cpu_ms_median": round(statistics.median(cpu), 1),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", type=Path, default=ROOT / "var" / "bench" / "nlp.json")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polosa.settings.dev")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from polosa.nlp import extraction, matching  # noqa: F401  (imported before the memory is read)

    gold = load_gold()
    rss_before = extraction.rss_mb()
    started = time.perf_counter()
    pipeline = extraction.get_pipeline()
    load_s = time.perf_counter() - started
    added_mb = extraction.rss_mb() - rss_before

    quality = evaluate(gold, extraction.extract)
    speed = time_suggestions(gold, args.runs)
    result = {
        "sentences": len(gold),
        **quality,
        **speed,
        "load_s": round(load_s, 2),
        "model_load_s": round(pipeline.stats.seconds, 2),
        "memory_added_mb": round(added_mb, 1),
        "rss_mb": round(extraction.rss_mb(), 1),
    }
    missed = [k for k, target in TARGETS.items() if result[k] < target]
    missed += ["ms_median"] if result["ms_median"] >= MAX_MS else []
    missed += ["load_s"] if result["load_s"] >= MAX_LOAD_S else []
    missed += ["memory_added_mb"] if result["memory_added_mb"] >= MAX_MB else []
    result["missed_targets"] = missed

    print(f"gold set: {len(gold)} sentences")
    print(f"{'type':5} {'gold':>5} {'P':>6} {'R':>6} {'F1':>6} {'nominative':>11}")
    for kind in ("PER", "ORG", "LOC"):
        print(
            f"{kind:5} {result[f'gold_{kind}']:>5} {result[f'precision_{kind}']:>6.3f} "
            f"{result[f'recall_{kind}']:>6.3f} {result[f'f1_{kind}']:>6.3f} "
            f"{result[f'nominative_{kind}']:>11.3f}"
        )
    weak = {k: v for k, v in result["recall_by_case"].items() if v < 1}
    print("recall below 1 by case/type:", ", ".join(f"{k} {v:.2f}" for k, v in weak.items()) or "none")
    print(
        f"suggestion for {speed['article_chars']} characters: median {speed['ms_median']} ms "
        f"(max {speed['ms_max']}, CPU {speed['cpu_ms_median']}) over {args.runs} runs; "
        f"{speed['suggestions']} suggestions, {speed['matched']} matched to tags"
    )
    print(
        f"model load: {result['load_s']} s; memory added: {result['memory_added_mb']} MB "
        f"(RSS {result['rss_mb']} MB)"
    )
    print("targets:", "all met" if not missed else "missed " + ", ".join(missed))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
