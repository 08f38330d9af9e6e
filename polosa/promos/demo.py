"""Demo paid material: one partner article, one special project with its hashtag, one event promo.

The advertisers are invented; their ИНН are made up to pass the checksum and belong to no one. The
texts are written for Polosa. The impression and click figures are invented too, so the admin
report has something to draw on a fresh install; a real site's figures come only from readers.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from wagtail.models import Page

from polosa.caching import invalidate, keys
from polosa.core.demo_images import demo_image

from .models import Advertiser, EventPromo, PartnerArticlePage, PartnerIndexPage, PromoDay, SpecialProjectPage

ADVERTISERS = {
    "kvartal": ("ООО «Квартал на Набережной»", "7810000019", "https://kvartal-demo.example/novostroiki"),
    "navigator": ("АО «Биржевой навигатор»", "5001007329", "https://navigator-demo.example/start"),
    "vector": ("ООО «Школа управления «Вектор»", "7701234560", "https://vector-demo.example/events"),
}

PARTNER_ARTICLE = {
    "slug": "pyat-voprosov-zastrojshchiku",
    "title": "Пять вопросов, которые стоит задать застройщику до подписания договора",
    "lead": "Что проверить в документах, графике строительства и условиях эскроу, чтобы покупка квартиры "
    "в новостройке не превратилась в долгую переписку с юристами.",
    "erid": "2SDnjeDemo7Kv",
    "hours_ago": 5,
    "paragraphs": [
        "Покупатель квартиры на этапе котлована платит за обещание, поэтому главный документ сделки — "
        "не рекламный буклет, а проектная декларация. В ней указаны сроки ввода дома, число этажей, "
        "материалы стен и то, кто отвечает за строительство.",
        "Второй вопрос — как защищены деньги. Средства дольщиков хранятся на эскроу-счете в банке и "
        "попадают к застройщику только после ввода дома. Стоит уточнить, в каком банке открыт счет и "
        "что происходит, если срок сдачи переносится.",
        "Третий — что входит в отделку. Формулировка «под ключ» у разных компаний значит разное: от "
        "готовой кухни до одних оштукатуренных стен. Перечень работ лучше получить приложением к договору.",
        "Четвертый — инфраструктура. Школа и поликлиника на рендере еще не означают школу и поликлинику "
        "во дворе: спросите, кто их строит, на чьей земле и в какой очередности.",
        "Пятый — кто будет управлять домом после заселения и сколько это будет стоить. Предварительный "
        "тариф управляющей компании часто можно узнать заранее.",
    ],
}

PROJECT = {
    "slug": "vse-na-birzhu",
    "title": "Все на биржу: как частному инвестору начать без лишнего риска",
    "hashtag": "всенабиржу",
    "intro": "Спецпроект о первых шагах на фондовом рынке: брокерский счет, диверсификация и налоги — "
    "простым языком и без обещаний быстрой прибыли.",
    "accent": "#0b6e4f",
    "erid": "Kra23Demo4Xq",
    "articles": [
        {
            "slug": "brokerskij-schet-za-vecher",
            "title": "Брокерский счет за один вечер: что понадобится и на что смотреть в тарифе",
            "lead": "Открыть счет можно онлайн, но тариф с низкой комиссией за сделку не всегда выгоднее "
            "тарифа с абонентской платой.",
            "erid": "2SDnjeDemo8Nb",
            "hours_ago": 9,
            "paragraphs": [
                "Для открытия счета обычно хватает паспорта и подтвержденной учетной записи на портале "
                "госуслуг. Дальше главное — выбрать тариф, который подходит под вашу частоту сделок.",
                "Если вы покупаете бумаги раз в месяц, важнее отсутствие абонентской платы. Если торгуете "
                "часто, смотрите на процент с оборота.",
            ],
        },
        {
            "slug": "diversifikaciya-bez-formul",
            "title": "Диверсификация без формул: почему не стоит складывать все в одну бумагу",
            "lead": "Разные отрасли и классы активов по-разному реагируют на одни и те же новости — на "
            "этом и строится защита портфеля.",
            "erid": "2SDnjeDemo9Dv",
            "hours_ago": 30,
            "paragraphs": [
                "Портфель из одной акции зависит от судьбы одной компании. Добавляя облигации и бумаги "
                "других отраслей, инвестор снижает размах колебаний всего портфеля.",
            ],
        },
    ],
}

EVENT = {
    "title": "Как руководителю защитить бюджет команды: практический семинар",
    "teaser": "Разбор реальных переговоров о бюджете с финансовым директором: аргументы, цифры и "
    "типичные ошибки.",
    "place": "Москва, деловой центр «Северная башня»",
    "cta": "Зарегистрироваться",
    "url": "https://vector-demo.example/events/budget-seminar",
    "erid": "LjN8Demo6b",
}


def _advertiser(key: str) -> Advertiser:
    name, inn, url = ADVERTISERS[key]
    advertiser, _ = Advertiser.objects.get_or_create(inn=inn, defaults={"name": name, "url": url})
    return advertiser


def _publish(page, at=None):
    page.save_revision().publish()
    if at is not None:
        # As if written then, like the news demo's articles.
        type(page).objects.filter(pk=page.pk).update(published_at=at)
        Page.objects.filter(pk=page.pk).update(first_published_at=at, last_published_at=at)


def _partner_article(parent, data, advertiser, now):
    image = demo_image(data["title"], data["slug"])
    page = parent.add_child(
        instance=PartnerArticlePage(
            title=data["title"],
            slug=data["slug"],
            lead=data["lead"],
            hero_image=image,
            body=[("paragraph", f"<p>{p}</p>") for p in data["paragraphs"]],
            advertiser=advertiser,
            erid=data["erid"],
            live=False,
        )
    )
    _publish(page, at=now - timedelta(hours=data["hours_ago"]))
    return page


def _stats(items, today):
    rows = []
    for rank, (kind, pk) in enumerate(items):
        for back in range(14):
            impressions = max(0, 1800 // (rank + 1) - back * 70 + (back % 3) * 40)
            rows.append(
                PromoDay(
                    kind=kind,
                    object_id=pk,
                    day=today - timedelta(days=back),
                    impressions=impressions,
                    clicks=impressions // (45 + rank * 10),
                )
            )
    PromoDay.objects.bulk_create(rows, ignore_conflicts=True)


def load(stdout) -> None:
    from polosa.front.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        stdout.write("No front page found; run migrations first.")
        return
    if SpecialProjectPage.objects.filter(slug=PROJECT["slug"]).exists():
        stdout.write("Promos: demo partner material already loaded.")
        return
    now = timezone.now()

    index = PartnerIndexPage.objects.first()
    if index is None:
        index = home.add_child(instance=PartnerIndexPage(title="Партнерские материалы", slug="partners"))
        index.save_revision().publish()
    article = _partner_article(index, PARTNER_ARTICLE, _advertiser("kvartal"), now)

    navigator = _advertiser("navigator")
    image = demo_image(PROJECT["title"], PROJECT["slug"])
    project = home.add_child(
        instance=SpecialProjectPage(
            title=PROJECT["title"],
            slug=PROJECT["slug"],
            hashtag=PROJECT["hashtag"],
            intro=PROJECT["intro"],
            accent_colour=PROJECT["accent"],
            image=image,
            advertiser=navigator,
            erid=PROJECT["erid"],
            feed_position=4,
            on_home=True,
            live=False,
        )
    )
    project.save_revision().publish()
    for data in PROJECT["articles"]:
        _partner_article(project, data, navigator, now)

    event = EventPromo.objects.create(
        title=EVENT["title"],
        teaser=EVENT["teaser"],
        image=demo_image(EVENT["title"], "event-budget-seminar"),
        starts_at=(now + timedelta(days=12)).replace(hour=16, minute=0, second=0, microsecond=0),
        place=EVENT["place"],
        cta_text=EVENT["cta"],
        url=EVENT["url"],
        advertiser=_advertiser("vector"),
        erid=EVENT["erid"],
        show_from=now - timedelta(days=1),
        show_until=now + timedelta(days=12),
        feed_position=7,
        on_home=True,
        in_article_aside=True,
        live=True,
    )
    _stats([("event", event.pk), ("project", project.pk), ("article", article.pk)], timezone.localdate())
    invalidate(keys.PROMOS, keys.FEED, keys.ARTICLES, keys.HOME)
    stdout.write("Promos: a partner article, a special project with two materials and an event promo.")
