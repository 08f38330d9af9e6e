"""CPU time and queries of one cold article render, in this process, for profiling.

    python -m benchmarks.profile_article                       # SQLite under var/profile/, file cache
    python -m benchmarks.profile_article --renders 500 --profile pyinstrument
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/polosa_profile REDIS_URL=redis://127.0.0.1:6379/0 \\
        python -m benchmarks.profile_article

"Cold" is what a reader meets after a publish: the page cache misses, but the pieces every page
shares (news-feed column, rates widget, breaking-news banner, live block, promos, section menu,
photo renditions, Wagtail's site roots) are already in the cache, as they are on a live site.

Production settings (DEBUG off, cached template loaders, hashed static files) with the page cache
switched off (POLOSA_PAGE_CACHE_ENABLED=False), so every request renders; ``--miss`` keeps the page
cache on and invalidates the article's key before each request instead (as a publish does), which adds
the dependency-version reads and the store of a real miss; ``--cold-cards`` makes the related-article
cards' fragments stale before each request, as when the articles they show were just published.
Builds its own data on first run: generated articles for the feed
(benchmarks/generate.py) and one full article like the reference page (hero photo, a quote with a
person, three related-article cards, a body photo, a fact box, tags, an author, a story line).

Prints the median, p90 and mean of this process's CPU milliseconds per render (wall time too, which
on a shared machine mostly measures waiting for a core) and the queries per render; ``--queries``
lists them, ``--profile cprofile|pyinstrument`` profiles the measured renders, ``--html FILE`` writes
the page so two versions of the code can be compared byte for byte.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import secrets
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

import django

BASE_DIR = Path(__file__).resolve().parent.parent
PROFILE_DIR = BASE_DIR / "var" / "profile"
HOST = "localhost"
SLUG = "profile-full-article"


def configure_environment() -> None:
    PROFILE_DIR.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "polosa.settings.production",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
            "DEBUG": "false",
            "MEDIA_ROOT": str(PROFILE_DIR / "media"),
        }
    )
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{PROFILE_DIR / 'profile.sqlite3'}")
    # A prefix of its own (one per database, so two checkouts profiled against one Redis never
    # share entries), so the run never reads or drops a running site's entries.
    database = hashlib.blake2b(os.environ["DATABASE_URL"].encode(), digest_size=4).hexdigest()
    os.environ["CACHE_KEY_PREFIX"] = f"polosa-profile-{database}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def prepare_data(feed_articles: int):
    """The full article to render (made once, reused by later runs)."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from benchmarks import generate
    from polosa.news import renditions
    from polosa.news.models import ArticlePage, SectionPage, StoryIndexPage, StoryPage
    from testsupport import front_page

    call_command("migrate", interactive=False, verbosity=0)
    home = front_page()
    have = ArticlePage.objects.filter(slug__startswith=generate.PREFIX).count()
    if have < feed_articles:
        print(f"generating {feed_articles - have} feed articles …", file=sys.stderr)
        generate.generate(feed_articles - have, days=30, tags_count=500, batch=2000, seed=have + 1)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    article = ArticlePage.objects.filter(slug=SLUG).first()
    if article is not None:
        return article

    from polosa.images.tests.factories import PolosaImageFactory
    from polosa.news.tests.factories import (
        ArticlePageFactory,
        AuthorFactory,
        PersonTagFactory,
        StoryIndexPageFactory,
        StoryPageFactory,
        TagFactory,
    )

    print("building the full article …", file=sys.stderr)
    sections = list(SectionPage.objects.child_of(home).order_by("path"))
    index = StoryIndexPage.objects.first() or StoryIndexPageFactory(parent=home, slug="stories")
    story = StoryPage.objects.filter(slug="profile-story").first() or StoryPageFactory(
        parent=index, title="Бюджет на три года", slug="profile-story"
    )
    person = PersonTagFactory(name="Олег Заречный", slug="profile-oleg-zarechny", role="министр транспорта")
    place = TagFactory(kind="place", name="Казань", slug="profile-kazan")
    org = TagFactory(kind="organisation", name="Минтранс", slug="profile-mintrans")
    related = [
        ArticlePageFactory(
            parent=sections[n % len(sections)],
            title=f"Связанная новость номер {n}",
            slug=f"profile-related-{n}",
            tags=[person, place],
            published_at=timezone.now() - timedelta(hours=n + 1),
        )
        for n in range(3)
    ]
    body_image = PolosaImageFactory()
    article = ArticlePageFactory(
        parent=sections[0],
        title="Казань получит новую линию скоростного трамвая",
        slug=SLUG,
        lead="Строительство начнется весной и займет два года, сообщили в городской администрации.",
        story=story,
        tags=[place, person, org],
        authors=[AuthorFactory(name="Мария Ветрова", slug="profile-maria-vetrova")],
        body=[
            ("paragraph", "<p>Первая очередь линии свяжет вокзал с новым микрорайоном.</p>"),
            (
                "quote",
                {
                    "text": "Мы рассчитываем запустить движение к концу следующего года",
                    "speaker": "Олег Заречный",
                    "speaker_role": "министр транспорта",
                    "speaker_tag": person,
                    "source": "«Вестник»",
                },
            ),
            ("related", {"article": related[0]}),
            ("paragraph", "<p>Проект обсуждали <b>три года</b>.</p>"),
            ("image", {"image": body_image, "caption": "", "credit": ""}),
            ("related", {"article": related[1]}),
            ("factbox", {"title": "Цифры проекта", "items": ["12 км путей", "18 остановок"]}),
            ("paragraph", "<p>Стоимость проекта оценивается в 40 млрд руб.</p>"),
            ("related", {"article": related[2]}),
        ],
    )
    for page in [*related, article]:
        renditions.prepare(page)  # production makes them on publish
    return article


def render(client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    if response.get("X-Polosa-Cache") == "hit":
        raise SystemExit(f"{url} came from the page cache; the measurement would lie")
    return response


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--renders", type=int, default=300, help="measured renders (median of these)")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--feed-articles", type=int, default=2000, help="generated articles to have")
    parser.add_argument(
        "--miss", action="store_true", help="page cache on, the article invalidated each time"
    )
    parser.add_argument(
        "--cold-cards",
        action="store_true",
        help="the related-article cards' fragments stale each time (their articles just published)",
    )
    parser.add_argument("--queries", action="store_true", help="list the queries of one render")
    parser.add_argument("--profile", choices=["cprofile", "pyinstrument"])
    parser.add_argument("--stats", help="with --profile cprofile: also save the statistics here")
    parser.add_argument("--html", help="write the rendered page to this file")
    args = parser.parse_args(argv)

    configure_environment()
    os.environ["POLOSA_PAGE_CACHE_ENABLED"] = "true" if args.miss else "false"
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from polosa.caching import invalidate, keys

    article = prepare_data(args.feed_articles)
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    url = article.url
    client = Client(HTTP_HOST=HOST)

    related = [item["value"]["article"] for item in article.body.raw_data if item["type"] == "related"]

    def prepare():
        """What makes the next render cold; not measured."""
        if args.miss:
            invalidate(keys.page(article.pk))
        if args.cold_cards:
            invalidate(*(keys.page(pk) for pk in related))

    def one():
        prepare()
        return render(client, url)

    for _ in range(args.warmup):
        response = one()
    if args.html:
        Path(args.html).write_bytes(response.content)

    prepare()
    with CaptureQueriesContext(connection) as captured:
        render(client, url)
    query_count = len(captured.captured_queries)
    if args.queries:
        for n, query in enumerate(captured.captured_queries, 1):
            print(f"{n:>3} {query['sql'][:1500]}")

    profiler = None
    if args.profile == "cprofile":
        import cProfile

        # CPU time, not wall time: on a shared machine waiting for a core would swamp the figures.
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
    elif args.profile == "pyinstrument":
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()

    cpu, wall = [], []
    for _ in range(args.renders):
        prepare()
        started, started_cpu = time.perf_counter(), time.process_time()
        render(client, url)
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)

    if args.profile == "cprofile":
        import pstats

        profiler.disable()
        stats = pstats.Stats(profiler)
        if args.stats:
            stats.dump_stats(args.stats)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(40)
    elif args.profile == "pyinstrument":
        profiler.stop()
        print(profiler.output_text(unicode=True, time="percent_of_total"))

    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    mode = "page cache on, article invalidated (--miss)" if args.miss else "page cache off"
    warm = "fragments warm but the related cards'" if args.cold_cards else "fragments warm"
    print(f"\n{url} on {connection.vendor}, cache {backend}, {mode}, {warm}")
    if args.profile:
        print("(figures include the profiler's overhead)")
    print(
        f"CPU ms per render: median {statistics.median(cpu):.2f}, p90 {percentile(cpu, 0.9):.2f}, "
        f"mean {statistics.fmean(cpu):.2f} over {len(cpu)} renders"
    )
    print(f"wall ms per render: median {statistics.median(wall):.2f}, p90 {percentile(wall, 0.9):.2f}")
    print(f"queries per render: {query_count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
