"""Django's `migrate`, which first says in one line why the database cannot be used, if it cannot."""

from django.core.management.base import CommandError
from django.core.management.commands.migrate import Command as DjangoMigrateCommand

from polosa.core.database import DatabaseUnavailable, check_reachable


class Command(DjangoMigrateCommand):
    def execute(self, *args, **options):
        # Before the system checks, which open the database too.
        try:
            check_reachable(options.get("database") or "default")
        except DatabaseUnavailable as error:
            raise CommandError(str(error)) from None
        return super().execute(*args, **options)
