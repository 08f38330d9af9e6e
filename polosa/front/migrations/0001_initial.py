# The front page's models, taken over from the feed app with their tables (feed 0005 let them go).
# No table is created or renamed: the models keep the feed app's table names. What does move is the
# content type: every page row points at its type by content type, so the feed's row is renamed in
# place (its id, and so every page, revision, log entry and permission pointing at it, stays).

import django.db.models.deletion
import modelcluster.fields
from django.conf import settings
from django.db import migrations, models

MODELS = ["homepage", "topstory"]


def move_content_types(apps, schema_editor, old="feed", new="front"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    for model in MODELS:
        moved = ContentType.objects.filter(app_label=old, model=model).first()
        if moved is None:
            continue  # never created (a fresh database creates it after migrating)
        taken = ContentType.objects.filter(app_label=new, model=model).first()
        if taken is not None:
            # Only an empty one, left by an earlier run that went back: pages must never lose theirs.
            if Page.objects.filter(content_type=taken).exists():
                raise RuntimeError(f"pages use both {old}.{model} and {new}.{model}: merge them first")
            taken.delete()
        moved.app_label = new
        moved.save(update_fields=["app_label"])


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="front", new="feed")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('feed', '0005_front_page_and_reads_moved'),
        ('news', '0007_embed_posts'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HomePage',
                    fields=[
                        ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                        ('main_story', models.ForeignKey(blank=True, help_text='Leave empty to show the newest article flagged as main story.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='news.articlepage', verbose_name='main story')),
                    ],
                    options={
                        'verbose_name': 'front page',
                        'verbose_name_plural': 'front pages',
                        'db_table': 'feed_homepage',
                    },
                    bases=('wagtailcore.page',),
                ),
                migrations.CreateModel(
                    name='TopStory',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                        ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='news.articlepage', verbose_name='article')),
                        ('home', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='top_stories', to='front.homepage')),
                    ],
                    options={
                        'verbose_name': 'top story',
                        'verbose_name_plural': 'top stories',
                        'db_table': 'feed_topstory',
                        'ordering': ['sort_order'],
                        'abstract': False,
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
