"""Cold render times of the listing pages: /news/, a section page and their second pages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python -m benchmarks.listings --articles 100000
    make bench-listings DATABASE_URL=postgres://...                 # the same, migrating first

Tops the database up to ``--articles`` generated articles (benchmarks/generate.py, with a progress
bar), warms up (templates, photo renditions), then renders each page ``--requests`` times in this
process through Django's full request handling (middleware, page cache, templates) and prints
p50/p95/p99 in milliseconds. Two kinds of cold:

- ``page``: the page cache has no entry for the page (its entry is dropped before each request), as
  after a publish or for a rarely read page; the shared fragments (feed column, section menu) are
  warm, as they are on a live site;
- ``all``: the whole cache is emptied before each request: fragments, site roots and all.

The target is under 50 ms for /news/ and a section page with 100,000 articles on
PostgreSQL. Results are also written as JSON (``--json``, default var/bench/listings.json).
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


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def ensure_articles(target: int, stream=sys.stderr) -> int:
    from benchmarks import generate
    from polosa.news.models import ArticlePage

    have = ArticlePage.objects.filter(slug__startswith=generate.PREFIX).count()
    if have < target:
        print(f"generating {target - have} articles (have {have}) …", file=stream)
        generate.generate(
            target - have, days=730, tags_count=2000, batch=5000, seed=20261125 + have, stream=stream
        )
    return ArticlePage.objects.count()


def pages_to_measure(client) -> dict[str, str]:
    """The URLs measured: the feed and the largest section, each with its second page."""
    from bs4 import BeautifulSoup
    from django.db.models import Count

    from polosa.news.models import SectionPage

    section = SectionPage.objects.live().annotate(n=Count("articles")).order_by("-n").first()
    urls = {"news": "/news/", "section": section.url}
    for name in list(urls):
        html = client.get(urls[name]).content
        more = BeautifulSoup(html, "html.parser").select_one("[data-load-more]")
        if more is not None:
            urls[f"{name} page 2"] = urls[name].split("?")[0] + more["href"].replace("&amp;", "&")
    return urls


def measure(client, url: str, requests: int, cold: str, host: str, cpu: list | None = None) -> list[float]:
    """Wall-clock milliseconds of `requests` cold renders; the app process's own CPU milliseconds go
    to `cpu` (on a shared, loaded machine wall time mostly measures waiting for a core)."""
    from django.core.cache import cache
    from django.test import RequestFactory

    from polosa.caching import memory
    from polosa.caching.middleware import entry_key
    from testsupport import clear_cache

    key = entry_key(RequestFactory().get(url, HTTP_HOST=host))
    timings = []
    for _ in range(requests):
        if cold == "all":
            clear_cache()
        else:
            cache.delete(key)
            memory.tier().drop(key)
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if cpu is not None:
            cpu.append((time.process_time() - started_cpu) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        if response.get("X-Polosa-Cache") == "hit":
            raise SystemExit(f"{url} was served from the page cache; the measurement would lie")
        timings.append(elapsed)
    return timings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000, help="generated articles to have first")
    parser.add_argument("--requests", type=int, default=200, help="renders per page and kind of cold")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--cold", choices=["page", "all", "both"], default="both")
    parser.add_argument("--json", default="var/bench/listings.json")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polosa.settings.dev")
    os.environ.setdefault("DEBUG", "false")  # DEBUG keeps every query in memory and slows renders
    # A cache prefix of its own, so emptying the cache never touches a running site's entries.
    os.environ["CACHE_KEY_PREFIX"] = f"polosa-bench-{os.getpid()}"
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    total = ensure_articles(args.articles)
    if connection.vendor == "postgresql":
        # Fresh bulk inserts leave the planner without statistics until autovacuum comes by.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    host = "127.0.0.1"
    client = Client(HTTP_HOST=host)
    urls = pages_to_measure(client)
    kinds = ["page", "all"] if args.cold == "both" else [args.cold]
    for url in urls.values():
        for _ in range(args.warmup):
            measure(client, url, 1, "all", host)

    command = " ".join(["python -m benchmarks.listings", *(argv if argv is not None else sys.argv[1:])])
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"\n{total} articles, {connection.vendor}, cache: {backend}")
    print(f"command: DATABASE_URL=… {command}\n")
    columns = ("p50 ms", "p95 ms", "p99 ms", "mean ms", "cpu p50")
    header = f"{'page':<16} {'cold':<5} {'n':>5} " + " ".join(f"{c:>8}" for c in columns)
    print(header)
    print("-" * len(header))
    results = []
    for name, url in urls.items():
        for kind in kinds:
            cpu: list[float] = []
            timings = measure(client, url, args.requests, kind, host, cpu)
            row = {
                "page": name,
                "url": url,
                "cold": kind,
                "requests": len(timings),
                "p50": percentile(timings, 0.50),
                "p95": percentile(timings, 0.95),
                "p99": percentile(timings, 0.99),
                "mean": statistics.fmean(timings),
                "cpu_p50": percentile(cpu, 0.50),
            }
            results.append(row)
            print(
                f"{name:<16} {kind:<5} {row['requests']:>5} {row['p50']:>8.1f} {row['p95']:>8.1f} "
                f"{row['p99']:>8.1f} {row['mean']:>8.1f} {row['cpu_p50']:>8.1f}"
            )
    target_ok = all(
        r["p50"] < 50 for r in results if r["page"] in ("news", "section") and r["cold"] == "page"
    )
    verdict = "met" if target_ok else "MISSED"
    print(f"\ntarget: /news/ and a section page under 50 ms (p50, page cold): {verdict}")
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {"articles": total, "database": connection.vendor, "command": command, "results": results},
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
