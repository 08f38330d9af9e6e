"""Generate synthetic Russian news articles for benchmarks, fast enough for a million.

    python -m benchmarks.generate --articles 100000            # add articles (progress bar)
    python -m benchmarks.generate --articles 1000000 --days 1500
    python -m benchmarks.generate --clear                       # remove generated articles

Wagtail's ``add_child`` saves one page, its revision and its search entry at a time (about 100 per
second); this writes the page tree rows directly in batches, computing the materialised paths the way
django-treebeard does, and gives every article a section, a publication time, tags and a body. It does
not build search entries or revisions: benchmarks that need them build them from these rows.
Uses the database and settings of DJANGO_SETTINGS_MODULE / DATABASE_URL (default polosa.settings.dev).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import uuid
from datetime import timedelta

import django

PREFIX = "b-"  # every generated article's slug starts with this, so --clear finds them
TREE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4
# Mostly news, as on a real site; the other genres make their labels and feed genres appear too.
GENRES = ["news", "analysis", "interview", "opinion"]
GENRE_WEIGHTS = [85, 8, 4, 3]

SUBJECTS = [
    "Правительство",
    "Центробанк",
    "Минфин",
    "Госдума",
    "Совет директоров",
    "Регулятор",
    "Крупнейший банк",
    "Сеть магазинов",
    "Авиакомпания",
    "Нефтяная компания",
    "Застройщик",
    "Мэрия",
    "Губернатор",
    "Фондовый рынок",
    "Экспортер зерна",
    "Оператор связи",
    "Металлургический холдинг",
    "Профсоюз",
]
VERBS = [
    "объявил",
    "сообщил",
    "снизил",
    "повысил",
    "утвердил",
    "отложил",
    "рассмотрит",
    "предложил",
    "одобрил",
    "завершил",
    "начал",
    "обсудил",
    "оценил",
    "прогнозирует",
    "пересмотрел",
    "запустил",
    "сократил",
]
OBJECTS = [
    "ключевую ставку",
    "прогноз по инфляции",
    "выплату дивидендов",
    "программу льготной ипотеки",
    "строительство моста",
    "план размещения облигаций",
    "тарифы на перевозки",
    "бюджет на следующий год",
    "проект новой магистрали",
    "сделку по покупке конкурента",
    "экспортные пошлины",
    "выпуск акций",
    "инвестиционную программу",
    "условия по вкладам",
    "закупки оборудования",
    "налоговые льготы",
]
DETAILS = [
    "впервые за три года",
    "после заседания совета директоров",
    "на фоне роста цен",
    "вопреки ожиданиям аналитиков",
    "по итогам квартала",
    "в ближайшие месяцы",
    "в нескольких регионах",
    "на внеочередном собрании",
    "из-за ослабления рубля",
    "после переговоров с поставщиками",
    "в рамках новой стратегии",
]
FIRST_NAMES = ["Анна", "Игорь", "Марина", "Олег", "Светлана", "Павел", "Елена", "Дмитрий", "Ксения", "Артем"]
LAST_NAMES = ["Соколова", "Ветров", "Гордеева", "Заречный", "Лисицына", "Крылов", "Орлова", "Тихонов"]
SECTION_NAMES = [
    ("politics", "Политика"),
    ("economics", "Экономика"),
    ("business", "Бизнес"),
    ("finance", "Финансы"),
    ("investments", "Инвестиции"),
    ("sport", "Спорт"),
    ("society", "Общество"),
]


def tree_step(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, len(TREE_ALPHABET))
        digits = TREE_ALPHABET[rest] + digits
        if number == 0:
            break
    return digits.rjust(STEPLEN, "0")


def tree_number(step: str) -> int:
    value = 0
    for char in step:
        value = value * len(TREE_ALPHABET) + TREE_ALPHABET.index(char)
    return value


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(DETAILS)}"


def paragraph(rng: random.Random) -> str:
    parts = [sentence(rng) for _ in range(rng.randint(3, 5))]
    person = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    parts.append(f"Как отметил(а) {person}, решение обсуждалось несколько недель")
    return ". ".join(parts) + "."


def ensure_sections(home):
    from polosa.news.models import SectionPage

    sections = list(SectionPage.objects.child_of(home).order_by("path"))
    if sections:
        return sections
    for slug, title in SECTION_NAMES:
        section = home.add_child(instance=SectionPage(title=title, slug=slug, show_in_menus=True))
        section.save_revision().publish()
        sections.append(section)
    return sections


def ensure_tags(count: int):
    from polosa.news.models import Tag, TagKind

    existing = list(Tag.objects.filter(slug__startswith=PREFIX))
    if len(existing) >= count:
        return existing
    kinds = [TagKind.PERSON, TagKind.ORGANISATION, TagKind.PLACE, TagKind.TOPIC]
    Tag.objects.bulk_create(
        [
            Tag(slug=f"{PREFIX}tag-{n}", name=f"Тег {n}", kind=kinds[n % 4])
            for n in range(len(existing), count)
        ],
        ignore_conflicts=True,
    )
    return list(Tag.objects.filter(slug__startswith=PREFIX))


def generate(articles: int, days: int, tags_count: int, batch: int, seed: int, stream=sys.stderr) -> int:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from tqdm import tqdm
    from wagtail.models import Locale, Page

    from polosa.front.models import HomePage
    from polosa.news.models import ArticlePage, ArticleTag

    rng = random.Random(seed)
    home = HomePage.objects.get()
    sections = ensure_sections(home)
    tags = ensure_tags(tags_count)
    content_type = ContentType.objects.get_for_model(ArticlePage)
    locale = Locale.get_default()
    now = timezone.now()
    span = timedelta(days=days).total_seconds()

    next_child = {}
    for section in sections:
        last = (
            Page.objects.filter(path__startswith=section.path, depth=section.depth + 1)
            .order_by("-path")
            .first()
        )
        next_child[section.pk] = tree_number(last.path[-STEPLEN:]) + 1 if last else 1
    start_number = Page.objects.filter(slug__startswith=PREFIX).count()

    article_table = ArticlePage._meta.db_table
    columns = [
        "page_ptr_id",
        "lead",
        "hero_caption",
        "body",
        "section_id",
        "published_at",
        "is_breaking",
        "is_main_story",
        "is_exclusive",
        "genre",
    ]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    # Table and column names come from the model, values are parameters.
    insert_sql = f"INSERT INTO {connection.ops.quote_name(article_table)} ({quoted}) VALUES ({placeholders})"  # noqa: S608

    made = 0
    with tqdm(total=articles, desc="articles", unit="art", file=stream, disable=not stream.isatty()) as bar:
        while made < articles:
            size = min(batch, articles - made)
            pages, rows, links = [], [], []
            for i in range(size):
                number = start_number + made + i
                section = sections[rng.randrange(len(sections))]
                step = next_child[section.pk]
                next_child[section.pk] += 1
                published = now - timedelta(seconds=rng.random() * span)
                title = sentence(rng)[:250]
                slug = f"{PREFIX}{number}"
                pages.append(
                    Page(
                        title=title,
                        draft_title=title,
                        slug=slug,
                        content_type=content_type,
                        path=section.path + tree_step(step),
                        depth=section.depth + 1,
                        numchild=0,
                        url_path=f"{section.url_path}{slug}/",
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=published,
                        last_published_at=published,
                        locale=locale,
                        translation_key=uuid.uuid4(),
                    )
                )
                body = [
                    {"type": "paragraph", "value": f"<p>{paragraph(rng)}</p>", "id": str(uuid.uuid4())}
                    for _ in range(rng.randint(3, 6))
                ]
                rows.append(
                    [
                        None,
                        paragraph(rng)[:590],
                        "",
                        json.dumps(body, ensure_ascii=False),
                        section.pk,
                        published,
                        rng.random() < 0.01,
                        False,
                        rng.random() < 0.02,
                        rng.choices(GENRES, GENRE_WEIGHTS)[0],
                    ]
                )
                links.append(rng.sample(tags, k=min(len(tags), rng.randint(1, 4))))
            with transaction.atomic():
                created = Page.objects.bulk_create(pages)
                for page, row in zip(created, rows, strict=True):
                    row[0] = page.pk
                with connection.cursor() as cursor:
                    cursor.executemany(insert_sql, rows)
                ArticleTag.objects.bulk_create(
                    [
                        ArticleTag(article_id=page.pk, tag=tag, sort_order=n)
                        for page, chosen in zip(created, links, strict=True)
                        for n, tag in enumerate(chosen)
                    ]
                )
            made += size
            bar.update(size)
    for section in sections:
        Page.objects.filter(pk=section.pk).update(numchild=next_child[section.pk] - 1)
    return made


def clear(stream=sys.stderr) -> int:
    """Delete generated rows directly: the ORM's cascade would send signals for each of a million pages,
    and generated pages have nothing else pointing at them (no revisions, no search entries)."""
    from django.db import transaction
    from wagtail.models import Page

    from polosa.news.models import ArticlePage, ArticleTag, SectionPage, Tag

    with transaction.atomic():
        generated = Page.objects.filter(slug__startswith=PREFIX)
        count = generated.count()
        ArticleTag.objects.filter(article__slug__startswith=PREFIX)._raw_delete(ArticleTag.objects.db)
        ArticleTag.objects.filter(tag__slug__startswith=PREFIX)._raw_delete(ArticleTag.objects.db)
        ArticlePage._base_manager.filter(page_ptr__slug__startswith=PREFIX)._raw_delete(
            ArticlePage.objects.db
        )
        generated._raw_delete(Page.objects.db)
        Tag.objects.filter(slug__startswith=PREFIX)._raw_delete(Tag.objects.db)
        for section in SectionPage.objects.all():
            SectionPage.objects.filter(pk=section.pk).update(numchild=section.get_children().count())
    return count


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=730, help="spread publication times over this many days")
    parser.add_argument("--tags", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--clear", action="store_true", help="delete generated articles and tags instead")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polosa.settings.dev")
    django.setup()
    started = time.monotonic()
    if args.clear:
        count = clear()
        print(f"removed {count} generated articles in {time.monotonic() - started:.1f} s")
        return 0
    count = generate(args.articles, args.days, args.tags, args.batch, args.seed)
    print(f"generated {count} articles in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
