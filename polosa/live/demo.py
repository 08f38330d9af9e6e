"""Demo live content: a broadcast on air for the next year and an open live blog.

All text is written for the demo. The demo stream is a public HLS test stream; without a network
connection the player shows its error message and retry button, which is the other half to try.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from polosa.core.demo_images import demo_image
from polosa.front.models import HomePage
from polosa.news.models import Author

from .models import BroadcastWindow, LiveBlogEntry, LiveBlogPage, LiveBroadcast

DEMO_STREAM = "https://test-streams.mux.dev/x36xhzz/x36xhzz.m3u8"

ENTRIES = [
    # (minutes ago, text, flags)
    (
        185,
        "<p>Доброе утро! Сегодня совет директоров центрального банка принимает решение по ключевой "
        "ставке. Рассказываем, чего ждут аналитики и как решение скажется на кредитах и вкладах.</p>",
        {"is_pinned": True},
    ),
    (
        170,
        "<p>Опрошенные нами экономисты расходятся во мнениях: семеро из двенадцати ждут сохранения "
        "ставки, пятеро — снижения на один процентный пункт.</p>",
        {},
    ),
    (
        140,
        "<p>Рубль на открытии торгов почти не изменился. Участники рынка не спешат с крупными сделками "
        "до объявления решения.</p>",
        {},
    ),
    (
        95,
        "",
        {
            "quote": "Мы видим устойчивое замедление роста цен, но риски для прогноза остаются",
            "quote_source": "член совета директоров, на конференции накануне",
        },
    ),
    (
        60,
        "<p><b>Ставка снижена на один процентный пункт.</b> Совет директоров объяснил решение "
        "замедлением инфляции и охлаждением потребительского кредитования.</p>",
        {"is_key_event": True},
    ),
    (
        45,
        "<p>Крупные банки уже начали пересматривать условия: первые объявили о снижении ставок по "
        "ипотеке с понедельника.</p>",
        {},
    ),
    (
        20,
        "<p>Пресс-конференция председателя начнётся через десять минут. Главные заявления будем "
        "публиковать здесь.</p>",
        {},
    ),
    (
        5,
        "<p>Председатель: следующий шаг будет зависеть от данных по инфляции за два ближайших месяца; "
        "регулятор не обещает продолжения снижения.</p>",
        {"is_key_event": True},
    ),
]


def load(stdout) -> None:
    _broadcast(stdout)
    _blog(stdout)


def _broadcast(stdout) -> None:
    if LiveBroadcast.objects.exists():
        stdout.write("Live: demo broadcast already loaded.")
        return
    poster = demo_image("Заставка прямого эфира", "live-poster")
    broadcast = LiveBroadcast.objects.create(
        title="Прямой эфир «Полосы»", stream_url=DEMO_STREAM, poster=poster
    )
    now = timezone.now()
    BroadcastWindow.objects.create(
        broadcast=broadcast, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=365)
    )
    stdout.write("Live: demo broadcast on air for a year.")


def _blog(stdout) -> None:
    if LiveBlogPage.objects.exists():
        stdout.write("Live: demo live blog already loaded.")
        return
    home = HomePage.objects.first()
    if home is None:
        stdout.write("Live: no front page, demo live blog skipped.")
        return
    blog = home.add_child(
        instance=LiveBlogPage(
            title="Решение по ключевой ставке: онлайн-трансляция",
            slug="live-key-rate",
            lead="Следим за заседанием совета директоров центрального банка, реакцией рынка и банков.",
        )
    )
    blog.save_revision().publish()
    author = Author.objects.order_by("pk").first()
    now = timezone.now()
    for minutes, body, flags in ENTRIES:
        LiveBlogEntry.objects.create(
            page=blog, posted_at=now - timedelta(minutes=minutes), body=body, author=author, **flags
        )
    stdout.write(f"Live: demo live blog at {blog.url} with {len(ENTRIES)} entries.")
