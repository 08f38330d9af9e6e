import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


def create_engine_index(apps, schema_editor):
    """PostgreSQL: a GIN index on the vector. SQLite: the FTS5 table of stems (rowid = article id)."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX search_entry_vector_gin ON search_searchentry USING gin (vector)"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(title, tags, lead, body, tokenize='unicode61')"
        )


def drop_engine_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_vector_gin")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("news", "0002_article_main_story_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="news.articlepage",
                    ),
                ),
                ("published_at", models.DateTimeField(verbose_name="published")),
                ("title", models.TextField(verbose_name="headline")),
                ("lead", models.TextField(blank=True, verbose_name="lead")),
                ("tags", models.TextField(blank=True, verbose_name="tags")),
                ("body", models.TextField(blank=True, verbose_name="text")),
                ("vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                (
                    "section",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="news.sectionpage",
                    ),
                ),
            ],
            options={
                "verbose_name": "search entry",
                "verbose_name_plural": "search entries",
                "indexes": [models.Index(fields=["-published_at"], name="search_entry_published_idx")],
            },
        ),
        migrations.RunPython(create_engine_index, drop_engine_index),
    ]
