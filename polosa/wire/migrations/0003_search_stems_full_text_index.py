"""On PostgreSQL, a full-text index over the items' stems, so a word found in no item reads no rows.

The stems are Snowball stems already (`polosa.search.analysis`), so the ``simple`` configuration keeps
them as they are. SQLite has no such index; there the word filter reads the rows with LIKE.
"""

from django.db import migrations

INDEX = "wire_item_stems_fts"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wire_wireitem "
            "USING gin (to_tsvector('simple'::regconfig, search_stems)) WHERE withdrawn_at IS NULL"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("wire", "0002_administrators_manage_sources")]
    operations = [migrations.RunPython(create, drop)]
