"""Demo reads, so the demo's "most read" block and read counters show something on a fresh install.

The figures are invented for the demo (a falling curve over the newest articles); a real site's come
only from readers' beacons.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from polosa.news.models import ArticlePage

from . import reads
from .models import ArticleReadHour, ArticleReadTotal


def load(stdout) -> None:
    if ArticleReadTotal.objects.exists():
        stdout.write("Feed: demo reads already loaded.")
        return
    now = timezone.now()
    hour = reads._hour(now)
    articles = list(ArticlePage.objects.published().values_list("pk", "published_at")[:30])
    per_hour, totals = [], []
    for rank, (pk, published_at) in enumerate(articles):
        total = 0
        for back in range(min(24, max(1, int((now - published_at).total_seconds() // 3600) + 1))):
            count = max(1, (900 // (rank + 2)) // (back + 1))
            per_hour.append(ArticleReadHour(article_id=pk, hour=hour - timedelta(hours=back), reads=count))
            total += count
        totals.append(ArticleReadTotal(article_id=pk, reads=total))
    ArticleReadHour.objects.bulk_create(per_hour, ignore_conflicts=True)
    ArticleReadTotal.objects.bulk_create(totals, ignore_conflicts=True)
    reads.refresh_most_read(now, force=True)
    stdout.write(f"Feed: demo reads for {len(totals)} articles.")
