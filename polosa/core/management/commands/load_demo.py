"""Load the demo newsroom: every app that ships demo content contributes it, in app order."""

import importlib
import logging
import time

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Create the demo newsroom's content. Safe to run again: it only adds what is missing."

    def handle(self, *args, **options):
        started = time.monotonic()
        for config in apps.get_app_configs():
            if not config.name.startswith("polosa."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                module.load(self.stdout)
        self.stdout.write(f"Demo content ready in {time.monotonic() - started:.1f} s.")
