"""Duty editors create live blogs under the front page and post their entries (roles.py)."""

from django.db import migrations


def grant(apps, schema_editor):
    from polosa.newsroom.roles import ensure_roles

    ensure_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0003_withdraw_correspondent_lock"), ("live", "0001_initial")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
