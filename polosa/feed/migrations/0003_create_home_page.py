from django.conf import settings
from django.db import migrations


def create_home_page(apps, schema_editor):
    """Replace Wagtail's welcome page with the front page, so a fresh install is a news site."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("feed.HomePage")

    if HomePage.objects.exists():
        return
    welcome_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=welcome_type, depth=2, numchild=0).delete()
    root = Page.objects.get(depth=1)
    home_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="feed")
    taken = set(Page.objects.filter(depth=2).values_list("path", flat=True))
    path = next(f"{root.path}{n:04d}" for n in range(1, 10000) if f"{root.path}{n:04d}" not in taken)
    home = HomePage.objects.create(
        title=settings.SITE_NAME,
        draft_title=settings.SITE_NAME,
        slug="home",
        content_type=home_type,
        path=path,
        depth=2,
        numchild=0,
        url_path="/home/",
        live=True,
        locale=Locale.objects.order_by("pk").first(),
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=settings.SITE_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("feed", "0002_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_home_page, migrations.RunPython.noop)]
