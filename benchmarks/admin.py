"""Server times of the editors' admin: dashboard, listings, the edit form, save and publish.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python -m benchmarks.admin --articles 100000
    make bench-admin DATABASE_URL=postgres://...                    # the same, migrating first

Tops the database up to ``--articles`` generated articles (the listings benchmark's generator),
makes an editor account in the newsroom's roles, and measures each admin request ``--requests``
times in this process through Django's full request handling (middleware, sessions, templates) as
that editor: wall-clock and the process's CPU milliseconds, p50/p95. Save and publish post the
edit form of a different generated article each time (an article's first revision and publish are
the expensive ones), as the admin's own form would. Work that runs after the commit in a task is
not in these figures (the tasks backend is "immediate" only in tests).

The target is the edit form and publish under 1 s each, on PostgreSQL with 100,000
articles. Results are also written as JSON (``--json``, default var/bench/admin.json).
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

from benchmarks.listings import ensure_articles, percentile

USERNAME = "bench-editor"


def editor():
    from polosa.newsroom import roles
    from polosa.newsroom.tests.factories import UserFactory

    roles.ensure_roles()
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=USERNAME).first()
    return user or UserFactory(username=USERNAME, role=roles.EDITOR)


def article_form(page) -> dict:
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "lead": page.lead or "Короткий лид для замера.",
            "genre": page.genre,
            "hero_image": page.hero_image_id or "",
            "hero_caption": "",
            "body": streamfield([("paragraph", rich_text("<p>Текст, сохранённый при замере.</p>"))]),
            "story": "",
            "authors": [],
            "tag_links": inline_formset([]),
            "corrections": inline_formset([]),
            "comments": inline_formset([]),
            "go_live_at": "",
            "expire_at": "",
            "seo_title": "",
            "search_description": "",
        }
    )


def timed(call) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    response = call()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, response


def scenarios(client, requests: int):
    """(name, [callables]) for each measured admin request."""
    from django.db.models import Count
    from django.urls import reverse

    from benchmarks.generate import PREFIX
    from polosa.news.models import ArticlePage, SectionPage

    section = SectionPage.objects.live().annotate(n=Count("articles")).order_by("-n").first()
    articles = list(
        ArticlePage.objects.filter(slug__startswith=PREFIX, section=section).order_by("-pk")[
            : 2 * requests + 1
        ]
    )
    edit = lambda page: reverse("wagtailadmin_pages:edit", args=(page.pk,))  # noqa: E731

    def save(page):
        return lambda: client.post(edit(page), article_form(page))

    def publish(page):
        return lambda: client.post(edit(page), {**article_form(page), "action-publish": "1"})

    get = lambda url: lambda: client.get(url)  # noqa: E731
    yield "dashboard", [get("/admin/")] * requests
    yield "explorer: largest section", [get(reverse("wagtailadmin_explore", args=(section.pk,)))] * requests
    yield "explorer: page 50", [get(reverse("wagtailadmin_explore", args=(section.pk,)) + "?p=50")] * requests
    yield "pages search", [get(reverse("wagtailadmin_pages:search") + "?q=Центробанк")] * requests
    yield "edit form", [get(edit(articles[0]))] * requests
    yield "save draft", [save(page) for page in articles[1 : requests + 1]]
    yield "publish", [publish(page) for page in articles[requests + 1 : 2 * requests + 1]]


POSTS = ("save draft", "publish")


def check(name: str, response) -> None:
    """A refused form (200 with errors) or an error page would time the wrong thing."""
    expected = 302 if name in POSTS else 200
    if response.status_code != expected:
        raise SystemExit(f"{name}: answered {response.status_code}, expected {expected}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000, help="generated articles to have first")
    parser.add_argument("--requests", type=int, default=10, help="requests per measured view")
    parser.add_argument("--json", default="var/bench/admin.json")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polosa.settings.dev")
    os.environ.setdefault("DEBUG", "false")
    os.environ["CACHE_KEY_PREFIX"] = f"polosa-bench-admin-{os.getpid()}"
    django.setup()
    from django.db import connection
    from django.test import Client

    total = ensure_articles(args.articles)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(editor())
    client.get("/admin/")  # warm up: templates, translations, site roots

    command = " ".join(["python -m benchmarks.admin", *(argv if argv is not None else sys.argv[1:])])
    print(f"\n{total} articles, {connection.vendor}")
    print(f"command: DATABASE_URL=… {command}\n")
    header = f"{'request':<28} {'n':>3} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'cpu p50':>8}"
    print(header)
    print("-" * len(header))
    results = []
    for name, calls in scenarios(client, args.requests):
        walls, cpus = [], []
        for call in calls:
            wall, cpu, response = timed(call)
            check(name, response)
            walls.append(wall)
            cpus.append(cpu)
        row = {
            "request": name,
            "n": len(walls),
            "p50": percentile(walls, 0.5),
            "p95": percentile(walls, 0.95),
            "mean": statistics.fmean(walls),
            "cpu_p50": percentile(cpus, 0.5),
        }
        results.append(row)
        print(
            f"{name:<28} {row['n']:>3} {row['p50']:>8.1f} {row['p95']:>8.1f} {row['mean']:>8.1f} "
            f"{row['cpu_p50']:>8.1f}"
        )
    by_name = {r["request"]: r for r in results}
    met = by_name["edit form"]["p50"] < 1000 and by_name["publish"]["p50"] < 1000
    print(f"\ntarget: edit form and publish under 1 s (p50): {'met' if met else 'MISSED'}")
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps({"articles": total, "database": connection.vendor, "results": results}, indent=2)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
