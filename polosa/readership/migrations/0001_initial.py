# The read counters, taken over from the feed app with their tables (feed 0005 let them go): no table
# is created or renamed, and the content types are renamed in place so their ids stay.

import django.db.models.deletion
from django.db import migrations, models

MODELS = ["articlereadhour", "articlereadtotal"]


def move_content_types(apps, schema_editor, old="feed", new="readership"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        moved = ContentType.objects.filter(app_label=old, model=model).first()
        if moved is None:
            continue
        # Nothing points at these models' content types but their permissions: an empty duplicate
        # left by an earlier run that went back can go.
        ContentType.objects.filter(app_label=new, model=model).delete()
        moved.app_label = new
        moved.save(update_fields=["app_label"])


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="readership", new="feed")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('feed', '0005_front_page_and_reads_moved'),
        ('news', '0007_embed_posts'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ArticleReadTotal',
                    fields=[
                        ('article', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='news.articlepage', verbose_name='article')),
                        ('reads', models.PositiveBigIntegerField(default=0, verbose_name='reads')),
                    ],
                    options={
                        'verbose_name': 'read count',
                        'verbose_name_plural': 'read counts',
                        'db_table': 'feed_articlereadtotal',
                    },
                ),
                migrations.CreateModel(
                    name='ArticleReadHour',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('hour', models.DateTimeField(verbose_name='hour')),
                        ('reads', models.PositiveIntegerField(default=0, verbose_name='reads')),
                        ('article', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='news.articlepage', verbose_name='article')),
                    ],
                    options={
                        'verbose_name': 'reads per hour',
                        'verbose_name_plural': 'reads per hour',
                        'db_table': 'feed_articlereadhour',
                        'indexes': [models.Index(fields=['hour', 'article'], name='feed_read_hour_idx')],
                        'constraints': [models.UniqueConstraint(fields=('article', 'hour'), name='feed_read_hour_unique')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
