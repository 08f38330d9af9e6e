"""Writing a batch of rows in one statement: COPY on PostgreSQL, a multi-row INSERT elsewhere.

A folder of thousands of files is stored a batch at a time (`ingest.ingest_documents`). Django's
``bulk_create`` builds one INSERT with a literal for every value; on PostgreSQL most of the ingest's
time went into quoting those literals (a document's bytes, an item's text and its stems) and into the
server parsing them back. COPY streams the same rows in the server's own format instead. COPY cannot
return the ids it assigns, so the ids come from the table's sequence first (one query for the batch),
which is also what lets items point at their documents and bands at their items in the same batch.
Django counts a COPY among a connection's queries like any other statement, so tests that count a
batch's queries count it too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model


def _uses_copy() -> bool:
    return connection.vendor == "postgresql"


def _copy(cursor, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


# Values of these fields go to COPY as they are: the server parses them from their text, as it would a
# parameter. The rest (JSON, dates, bytes) go through the field's own conversion.
_AS_IS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
        "URLField",
    }
)


def _row_maker(fields):
    plain = [field.get_internal_type() in _AS_IS for field in fields]

    def row(pk, obj) -> list:
        return [
            pk,
            *(
                getattr(obj, field.attname)
                if as_is
                else field.get_db_prep_save(field.pre_save(obj, True), connection)
                for field, as_is in zip(fields, plain, strict=True)
            ),
        ]

    return row


def insert(objs: list[Model]) -> list[Model]:
    """Insert new instances of one model; each gets its primary key, as with ``bulk_create``.

    No signals are sent and ``save()`` is not called (as with ``bulk_create``); field defaults were
    applied when the instances were made.
    """
    if not objs:
        return objs
    model = type(objs[0])
    if not _uses_copy():
        return model.objects.bulk_create(objs, batch_size=500)
    opts = model._meta
    fields = [field for field in opts.concrete_fields if not field.primary_key]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, opts.pk.column, len(objs)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        row = _row_maker(fields)
        rows = (row(pk, obj) for pk, obj in zip(ids, objs, strict=True))
        _copy(cursor, opts.db_table, [opts.pk.column, *(field.column for field in fields)], rows)
    for pk, obj in zip(ids, objs, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def insert_rows(table: str, columns: Sequence[str], rows: list[Sequence]) -> None:
    """Insert plain rows (no model instances: the similarity bands are eight rows an item)."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if _uses_copy():
            _copy(cursor, table, columns, rows)
            return
        quote = connection.ops.quote_name
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
            f"VALUES ({placeholders})",
            rows,
        )
