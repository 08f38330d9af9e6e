import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from polosa.news.models import ArticlePage
from polosa.search import indexing


class Command(BaseCommand):
    help = "Re-index every article for search (after imports that bypass publishing signals)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, batch, **options):
        total = ArticlePage.objects.count()
        with tqdm(total=total, unit="art", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
            indexed = indexing.rebuild(batch=batch, progress=bar.update)
        self.stdout.write(f"Indexed {indexed} of {total} articles.")
