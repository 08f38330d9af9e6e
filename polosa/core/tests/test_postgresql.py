"""PostgreSQL with server-side binding: statements are prepared, bulk inserts stay under the limit."""

import pytest
from django.db import connection

from polosa.core.postgresql.base import MAX_QUERY_PARAMS
from polosa.news.models import Tag

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's protocol only"),
]


def test_the_suite_runs_with_server_side_binding_as_production_does():
    assert connection.features.uses_server_side_binding


def test_a_statement_run_again_is_prepared_on_the_server():
    for slug in ("a", "b", "c"):
        list(Tag.objects.filter(slug=f"prepared-{slug}"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('"news_tag"."slug" = $1' in statement for statement in prepared), prepared


def test_a_bulk_insert_of_more_values_than_one_statement_takes_is_split():
    fields = ["kind", "name", "slug", "role", "photo", "description", "aliases"]
    rows = MAX_QUERY_PARAMS // len(fields) + 500  # one statement would need over 65,535 parameters
    Tag.objects.bulk_create(Tag(name=f"Тег {n}", slug=f"bulk-{n}") for n in range(rows))
    assert Tag.objects.filter(slug__startswith="bulk-").count() == rows


def test_the_batch_size_counts_the_fields():
    ops = connection.ops
    assert ops.bulk_batch_size(["a"] * 7, list(range(100_000))) == MAX_QUERY_PARAMS // 7
    assert ops.bulk_batch_size(["a"] * 7, list(range(10))) == 10
    assert ops.bulk_batch_size([], list(range(10))) == 10
