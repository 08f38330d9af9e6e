"""The inbox's page query: one table, and on PostgreSQL a stem vector that is cheap to test."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polosa.wire import inbox

from .factories import WireItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the stored vector exists on PostgreSQL only")


def _vector_column():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attstorage, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a "
            "JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "WHERE a.attrelid = 'wire_wireitem'::regclass AND a.attname = 'search_tsv'"
        )
        return cursor.fetchone()


def test_the_vector_is_kept_in_the_row_without_word_positions(postgresql):
    storage, expression = _vector_column()
    # MAIN: compressed in the row rather than moved to the TOAST table (three more pages a test).
    assert storage == "m"
    assert expression.startswith("strip(to_tsvector(")


def test_words_are_still_found_through_the_stripped_vector(postgresql, source):
    found = WireItemFactory(
        source=source,
        headline="Центробанк сохранил ключевую ставку",
        search_stems=" центробанк сохран ключев ставк ",
    )
    WireItemFactory(source=source, headline="Другое", search_stems=" друг ")
    assert [row.pk for row in inbox.page(inbox.Filters(words="ставки ключевой")).rows] == [found.pk]
    assert inbox.page(inbox.Filters(words="ставки облигации")).rows == []


@pytest.mark.parametrize("words", ["", "ставки"])
def test_the_page_query_reads_the_item_table_alone(source, words):
    WireItemFactory(source=source, search_stems=" ставк ")
    with CaptureQueriesContext(connection) as queries:
        page = inbox.page(inbox.Filters(words=words))
    assert page.rows[0].source == source  # fetched apart
    (rows_query,) = [q["sql"] for q in queries.captured_queries if 'FROM "wire_wireitem"' in q["sql"]]
    assert "JOIN" not in rows_query
