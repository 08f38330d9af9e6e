"""On PostgreSQL, the items' stem vector kept small and in the row, so testing it is cheap.

A word common in the inbox is found by walking the inbox's order index newest first and testing
each row's vector until a page is full; the rows tested on the way that do not match cost the
most (a word in 90,000 of 100,000 items but not in the newest 9,000 took 70-140 ms). The vector of
0003 held word positions, which nothing reads (the inbox asks for words, never phrases), and at
about 1.9 kB compressed it was moved out of the row into the TOAST table: every test read three
pages and decompressed pglz. Here it is stripped of positions, compressed with lz4 when the server
has it, and kept in the row (storage MAIN, its long neighbours body and search_stems move out
first): a test reads the row's own page.

Generated columns cannot be altered before PostgreSQL 17, so the column is made again; that
computes it for every stored item and rebuilds its full-text index (a few seconds for 100,000
items on the development machine).
SQLite has neither and is left alone.
"""

from django.db import migrations

INDEX = "wire_item_stems_fts"
TABLE = "wire_wireitem"


def _lz4(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
        )
        return cursor.fetchone() is not None


def _make(schema_editor, expression: str, storage: str, compression: str) -> None:
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_tsv")
    # One statement: the table is rewritten once, with the new storage already in place.
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD COLUMN search_tsv tsvector {compression} "
        f"GENERATED ALWAYS AS ({expression}) STORED, ALTER COLUMN search_tsv SET STORAGE {storage}"
    )
    schema_editor.execute(
        f"CREATE INDEX {INDEX} ON {TABLE} USING gin (search_tsv) WHERE withdrawn_at IS NULL"
    )


def inline(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        compression = "COMPRESSION lz4" if _lz4(schema_editor) else ""
        _make(schema_editor, "strip(to_tsvector('simple'::regconfig, search_stems))", "MAIN", compression)


def as_before(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _make(schema_editor, "to_tsvector('simple'::regconfig, search_stems)", "EXTENDED", "")


class Migration(migrations.Migration):
    dependencies = [("wire", "0003_search_stems_full_text_index")]
    operations = [migrations.RunPython(inline, as_before)]
