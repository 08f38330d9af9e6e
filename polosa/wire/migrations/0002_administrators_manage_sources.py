"""Administrators manage the wire sources.

The newsroom's roles migration gave «Администраторы» every permission that existed then; on a
database migrated before this app was installed, the wire's permissions came later.
"""

from django.db import migrations


def grant(apps, schema_editor):
    from polosa.newsroom.roles import ADMINISTRATOR, _create_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=ADMINISTRATOR).first()
    if group is None:
        return
    _create_permissions(apps)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="wire"))


class Migration(migrations.Migration):
    dependencies = [("wire", "0001_initial"), ("newsroom", "0003_withdraw_correspondent_lock")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
