"""Search latency: p50/p95 of `search_articles` over a set of Russian queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python -m benchmarks.search --articles 100000
    make bench-search DATABASE_URL=postgres://...                  # the same, migrating first

Tops the database up to ``--articles`` generated articles (benchmarks/generate.py), builds the search
index for the ones that have no entry yet (the generator bypasses publishing signals), runs ANALYZE,
then calls ``polosa.search.service.search_articles`` for every query ``--rounds`` times (first page,
as a reader's search does: candidates, ranking, the page's articles and snippets) and prints p50/p95
per query and overall. Queries mix common and rare words, inflected names and several-word queries.

The target is p95 under 100 ms with 100,000 articles on PostgreSQL. Results are also
written as JSON (``--json``, default var/bench/search.json).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import django

# Inflected forms on purpose: the generator writes «Ветров», «Соколова», «ключевую ставку», …
QUERIES = [
    "ставка",
    "ключевой ставки",
    "Ветрова",
    "Соколовой",
    "Минфина",
    "облигаций",
    "льготная ипотека",
    "дивиденды совет директоров",
    "экспортных пошлин",
    "нефтяной компании",
    "губернатор мост",
    "инфляция рубль прогноз",
    "самолёт",
    "Лаврова",
    "Центробанк снизил ставку впервые",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def ensure_index(stream=sys.stderr) -> int:
    """Index the articles that have no search entry yet; returns how many were indexed."""
    from polosa.news.models import ArticlePage
    from polosa.search import indexing
    from polosa.search.models import SearchEntry

    missing = list(
        ArticlePage.objects.exclude(pk__in=SearchEntry.objects.values("pk"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not missing:
        return 0
    print(f"indexing {len(missing)} articles …", file=stream)
    started = time.perf_counter()
    done = 0
    for start in range(0, len(missing), 1000):
        done += indexing.index_articles(missing[start : start + 1000])
    elapsed = time.perf_counter() - started
    print(f"indexed {done} articles in {elapsed:.0f} s ({done / max(elapsed, 0.001):.0f}/s)", file=stream)
    return done


def measure(query: str, rounds: int, cpu: list[float] | None = None) -> tuple[list[float], int]:
    """Wall-clock milliseconds of `rounds` searches; this process's CPU milliseconds go to `cpu`."""
    from polosa.search.service import search_articles

    timings = []
    total = 0
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        results = search_articles(query)
        timings.append((time.perf_counter() - started) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - started_cpu) * 1000)
        total = results.total
    return timings, total


def database_ms(query: str) -> float | None:
    """PostgreSQL's own execution time of the ranking query (EXPLAIN ANALYZE), without the client,
    the network or this process: on a busy machine it separates the database's work from waiting."""
    import re

    from django.db import connection

    from polosa.search import analysis, service

    if connection.vendor != "postgresql":
        return None
    parsed = analysis.parse_query(query)
    if parsed.is_empty:
        return None
    entries = service.filtered_entries(service.SearchFilters())
    sql, params, _inner, _inner_params = service.postgres_sql(parsed, entries, False, 0, service.PER_PAGE)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    found = re.search(r"Execution Time: ([0-9.]+) ms", plan)
    return float(found.group(1)) if found else None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000, help="generated articles to have first")
    parser.add_argument("--rounds", type=int, default=20, help="searches per query")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--json", default="var/bench/search.json")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polosa.settings.dev")
    os.environ.setdefault("DEBUG", "false")
    os.environ["CACHE_KEY_PREFIX"] = f"polosa-bench-{os.getpid()}"
    django.setup()
    from django.db import connection

    from benchmarks.listings import ensure_articles

    total = ensure_articles(args.articles)
    ensure_index()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    for query in QUERIES:
        measure(query, args.warmup)

    command = " ".join(["python -m benchmarks.search", *(argv if argv is not None else sys.argv[1:])])
    load = os.getloadavg()[0]
    print(f"\n{total} articles, {connection.vendor}, load average {load:.1f} on {os.cpu_count()} CPUs")
    print(f"command: DATABASE_URL=… {command}\n")
    header = (
        f"{'query':<36} {'matches':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'app cpu':>8} {'db ms':>8}"
    )
    print(header)
    print("-" * len(header))
    results, everything = [], []
    for query in QUERIES:
        cpu: list[float] = []
        timings, matches = measure(query, args.rounds, cpu)
        everything.extend(timings)
        row = {
            "query": query,
            "matches": matches,
            "p50": percentile(timings, 0.5),
            "p95": percentile(timings, 0.95),
            "max": max(timings),
            "mean": statistics.fmean(timings),
            "app_cpu_p50": percentile(cpu, 0.5),
            "db_ms": database_ms(query),
        }
        results.append(row)
        print(
            f"{query:<36} {matches:>8} {row['p50']:>8.1f} {row['p95']:>8.1f} {row['max']:>8.1f} "
            f"{row['app_cpu_p50']:>8.1f} {row['db_ms'] if row['db_ms'] is not None else '':>8}"
        )
    overall = {"p50": percentile(everything, 0.5), "p95": percentile(everything, 0.95), "n": len(everything)}
    print("-" * len(header))
    print(f"{'all queries':<36} {'':>8} {overall['p50']:>8.1f} {overall['p95']:>8.1f}")
    verdict = "met" if overall["p95"] < 100 else "MISSED"
    print(f"\ntarget: p95 under 100 ms: {verdict}")
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "articles": total,
                "database": connection.vendor,
                "command": command,
                "overall": overall,
                "load_average": load,
                "results": results,
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
