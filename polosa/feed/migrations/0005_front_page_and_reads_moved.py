# The front page moved to polosa.front, counted reads to polosa.readership. Only Django's picture of
# the models changes here: their tables stay as they are, now owned by those apps (front 0001 and
# readership 0001 take the models over, with the tables' old names, and rename the content types).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('feed', '0004_read_counts'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name='articlereadtotal', name='article'),
                migrations.RemoveField(model_name='homepage', name='main_story'),
                migrations.RemoveField(model_name='homepage', name='page_ptr'),
                migrations.RemoveField(model_name='topstory', name='home'),
                migrations.RemoveField(model_name='topstory', name='article'),
                migrations.DeleteModel(name='ArticleReadHour'),
                migrations.DeleteModel(name='ArticleReadTotal'),
                migrations.DeleteModel(name='HomePage'),
                migrations.DeleteModel(name='TopStory'),
            ],
            database_operations=[],
        ),
    ]
