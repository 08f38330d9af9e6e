"""Tag suggestions for the archive (suggestions only: no article gets a tag without an editor)."""

import logging
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from polosa.news.models import ArticlePage
from polosa.nlp import service

logger = logging.getLogger("polosa.nlp")


class Command(BaseCommand):
    help = "Store tag suggestions for articles whose stored suggestions are older than their latest revision."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="every article (not only those given by --id)")
        parser.add_argument("--id", type=int, action="append", default=[], help="this article (repeatable)")
        parser.add_argument("--force", action="store_true", help="analyse again even when up to date")
        parser.add_argument("--limit", type=int, default=0, help="stop after this many articles")

    def handle(self, *args, **options):
        if not options["all"] and not options["id"]:
            raise CommandError("Give --all or --id ARTICLE_ID.")
        articles = ArticlePage.objects.order_by("-pk")
        if options["id"]:
            articles = articles.filter(pk__in=options["id"])
        rows = articles.values_list(
            "pk", "latest_revision_id", "nlp_analysis__pk", "nlp_analysis__revision_id"
        )
        # Resumable: what was analysed from the latest revision is skipped, so an interrupted run goes
        # on where it stopped.
        ids = [
            pk
            for pk, latest, analysed, revision in rows.iterator(chunk_size=2000)
            if options["force"] or analysed is None or revision != latest
        ]
        if options["limit"]:
            ids = ids[: options["limit"]]
        logger.info("suggest_tags: %d articles to analyse", len(ids))
        done = failed = 0
        bar = tqdm(total=len(ids), unit="article", disable=not sys.stderr.isatty(), file=sys.stderr)
        for n, article_id in enumerate(ids, 1):
            try:
                service.analyse_article(article_id)
                done += 1
            except ArticlePage.DoesNotExist:
                pass
            except Exception:
                failed += 1
                logger.exception("suggest_tags: article %s failed", article_id)
            bar.update(1)
            if bar.disable and n % 100 == 0:
                logger.info("suggest_tags: %d of %d articles", n, len(ids))
        bar.close()
        logger.info("suggest_tags: %d analysed, %d failed", done, failed)
        self.stdout.write(f"{done} articles analysed, {failed} failed, {len(ids) - done - failed} gone.")
