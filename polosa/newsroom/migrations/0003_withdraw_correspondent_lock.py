"""Correspondents no longer hold Wagtail's "lock" on the sections: it let them lock any article there,
a colleague's published one included. Only an article's editors may lock it."""

from django.db import migrations


def withdraw(apps, schema_editor):
    from polosa.newsroom.roles import withdraw_page_permissions

    withdraw_page_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0002_roles_and_workflow")]

    operations = [migrations.RunPython(withdraw, migrations.RunPython.noop)]
