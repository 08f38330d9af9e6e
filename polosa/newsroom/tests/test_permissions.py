"""Every role against every newsroom action, through the admin's own URLs and direct POSTs.

Each action is attempted the way a browser (or someone crafting requests by hand) would, and is
judged by what happened in the database, not by which buttons the admin showed. A role that may not
do something must leave no trace of having tried.
"""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.models import Revision, WorkflowState
from wagtail.test.utils.form_data import rich_text

from polosa.front.models import HomePage
from polosa.images.models import PolosaImage
from polosa.live.models import LiveBlogEntry, LiveBlogPage
from polosa.news.models import ArticlePage, SectionPage
from polosa.news.tests.factories import ArticlePageFactory
from polosa.newsroom import roles
from polosa.newsroom.models import BreakingBanner

from .admin_forms import article_form, home_form
from .factories import UserFactory

pytestmark = pytest.mark.django_db

C, E, D, A = roles.CORRESPONDENT, roles.EDITOR, roles.DUTY_EDITOR, roles.ADMINISTRATOR
ANONYMOUS = "anonymous"

# action -> the roles that may perform it (anonymous visitors may do nothing).
MATRIX = {
    "open_admin": {C, E, D, A},
    "create_article": {C, E, D, A},
    "edit_own_draft": {C, E, D, A},
    "submit_for_review": {C, E, D, A},
    "upload_image": {C, E, D, A},
    "edit_others_article": {E, D, A},
    "edit_others_image": {E, D, A},
    "add_tag": {E, D, A},
    "publish_own_draft": {E, D, A},
    "publish_others_draft": {E, D, A},
    "schedule_publication": {E, D, A},
    "unpublish_article": {E, D, A},
    "delete_published_article": {E, D, A},
    "lock_others_article": {E, D, A},
    "approve_submission": {E, D, A},
    "reject_submission": {E, D, A},
    "edit_front_page": {D, A},
    "publish_front_page": {D, A},
    "manage_breaking_banner": {D, A},
    "create_live_blog": {D, A},
    "add_live_blog_entry": {D, A},
    "create_section": {A},
    "manage_users": {A},
}


def _png() -> SimpleUploadedFile:
    buffer = BytesIO()
    PILImage.new("RGB", (64, 48), "#3366aa").save(buffer, "PNG")
    return SimpleUploadedFile("snimok.png", buffer.getvalue(), content_type="image/png")


def _draft(section, owner):
    return ArticlePageFactory(
        parent=section,
        owner=owner,
        live=False,
        published_at=None,
        first_published_at=None,
        last_published_at=None,
        title="Черновик о работе порта",
        slug=f"draft-{owner.pk if owner else 'x'}",
    )


def _submitted(section, submitter):
    """A correspondent's draft, submitted to the review workflow."""
    page = _draft(section, submitter)
    revision = page.save_revision(user=submitter)
    page.get_workflow().start(page, submitter)
    assert page.current_workflow_state is not None
    return page, revision


def _edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def _revisions(page):
    return Revision.page_revisions.filter(object_id=str(page.pk)).count()


# --- The actions: each returns whether it took effect -----------------------------------------


def open_admin(client, user, ctx):
    return client.get("/admin/").status_code == 200


def create_article(client, user, ctx):
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", ctx["section"].pk))
    client.post(url, article_form("Порт увеличил перевалку зерна", "port-zerno"))
    return ArticlePage.objects.filter(slug="port-zerno").exists()


def edit_own_draft(client, user, ctx):
    page = _draft(ctx["section"], user)
    client.post(_edit_url(page), article_form("Порт увеличил перевалку", page.slug))
    return _revisions(page) == 1


def submit_for_review(client, user, ctx):
    page = _draft(ctx["section"], user)
    client.post(_edit_url(page), article_form(page.title, page.slug, **{"action-submit": "1"}))
    return WorkflowState.objects.filter(object_id=str(page.pk), status="in_progress").exists()


def upload_image(client, user, ctx):
    client.post(reverse("wagtailimages:add"), {"title": "Порт вечером", "file": _png()})
    return PolosaImage.objects.filter(title="Порт вечером").exists()


def edit_others_image(client, user, ctx):
    from wagtail.models import Collection

    from polosa.images.tests.factories import PolosaImageFactory

    image = PolosaImageFactory(
        title="Чужой снимок", uploaded_by_user=ctx["colleague"], collection=Collection.get_first_root_node()
    )
    client.post(reverse("wagtailimages:edit", args=(image.pk,)), {"title": "Переименованный снимок"})
    return PolosaImage.objects.get(pk=image.pk).title == "Переименованный снимок"


def add_tag(client, user, ctx):
    client.post(
        reverse("wagtailsnippets_news_tag:add"),
        {
            "kind": "person",
            "name": "Ольга Руднева",
            "slug": "olga-rudneva",
            "role": "",
            "description": rich_text("<p>Депутат городского совета.</p>"),
        },
    )
    from polosa.news.models import Tag

    return Tag.objects.filter(slug="olga-rudneva").exists()


def edit_others_article(client, user, ctx):
    page = ctx["published"]
    client.post(_edit_url(page), article_form("Чужая статья с правкой", page.slug))
    return _revisions(page) == 1


def publish_own_draft(client, user, ctx):
    page = _draft(ctx["section"], user)
    client.post(_edit_url(page), article_form(page.title, page.slug, **{"action-publish": "1"}))
    return ArticlePage.objects.get(pk=page.pk).live


def publish_others_draft(client, user, ctx):
    page = _draft(ctx["section"], ctx["colleague"])
    client.post(_edit_url(page), article_form(page.title, page.slug, **{"action-publish": "1"}))
    return ArticlePage.objects.get(pk=page.pk).live


def schedule_publication(client, user, ctx):
    page = _draft(ctx["section"], ctx["colleague"])
    when = timezone.localtime(timezone.now() + timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
    client.post(
        _edit_url(page), article_form(page.title, page.slug, go_live_at=when, **{"action-publish": "1"})
    )
    return Revision.page_revisions.filter(object_id=str(page.pk), approved_go_live_at__isnull=False).exists()


def unpublish_article(client, user, ctx):
    page = ctx["published"]
    client.post(reverse("wagtailadmin_pages:unpublish", args=(page.pk,)))
    return not ArticlePage.objects.get(pk=page.pk).live


def delete_published_article(client, user, ctx):
    page = ctx["published"]
    client.post(reverse("wagtailadmin_pages:delete", args=(page.pk,)))
    return not ArticlePage.objects.filter(pk=page.pk).exists()


def lock_others_article(client, user, ctx):
    page = ctx["published"]
    client.post(reverse("wagtailadmin_pages:lock", args=(page.pk,)))
    return ArticlePage.objects.get(pk=page.pk).locked


def _workflow_action(client, ctx, action):
    page, _revision = _submitted(ctx["section"], ctx["correspondent"])
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))
    client.post(url, {"comment": "Проверено"})
    task_state.refresh_from_db()
    return page, task_state


def approve_submission(client, user, ctx):
    page, task_state = _workflow_action(client, ctx, "approve")
    return task_state.status == "approved" and ArticlePage.objects.get(pk=page.pk).live


def reject_submission(client, user, ctx):
    _page, task_state = _workflow_action(client, ctx, "reject")
    return task_state.status == "rejected"


def edit_front_page(client, user, ctx):
    home = ctx["home"]
    before = _revisions(home)
    client.post(_edit_url(home), home_form(home, main_story=ctx["published"]))
    return _revisions(home) == before + 1


def publish_front_page(client, user, ctx):
    home = ctx["home"]
    client.post(_edit_url(home), home_form(home, main_story=ctx["published"], **{"action-publish": "1"}))
    return HomePage.objects.get(pk=home.pk).main_story_id == ctx["published"].pk


def manage_breaking_banner(client, user, ctx):
    when = timezone.localtime(timezone.now() + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    url = reverse("wagtailsnippets_newsroom_breakingbanner:add")
    client.post(url, {"text": "Срочная новость для проверки", "link": "/", "expires_at": when})
    return BreakingBanner.objects.filter(text="Срочная новость для проверки").exists()


def create_live_blog(client, user, ctx):
    from polosa.live.tests.admin_forms import live_blog_form

    url = reverse("wagtailadmin_pages:add", args=("live", "liveblogpage", ctx["home"].pk))
    client.post(url, live_blog_form("Саммит в Казани: онлайн", **{"action-publish": "1"}))
    return LiveBlogPage.objects.filter(title="Саммит в Казани: онлайн", live=True).exists()


def add_live_blog_entry(client, user, ctx):
    from polosa.live.tests.factories import LiveBlogPageFactory

    blog = LiveBlogPageFactory(parent=ctx["home"])
    url = reverse(LiveBlogEntry.snippet_viewset.get_url_name("add"))
    text = rich_text("<p>Делегации собрались в зале.</p>")
    when = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    client.post(url, {"page": blog.pk, "body": text, "posted_at": when, "quote": "", "quote_source": ""})
    return LiveBlogEntry.objects.filter(page=blog).exists()


def create_section(client, user, ctx):
    url = reverse("wagtailadmin_pages:add", args=("news", "sectionpage", ctx["home"].pk))
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    data = nested_form_data(
        {"title": "Наука", "slug": "science", "description": "", "comments": inline_formset([])}
    )
    client.post(url, {**data, "action-publish": "1"})
    return SectionPage.objects.filter(slug="science").exists()


def manage_users(client, user, ctx):
    return client.get(reverse("wagtailusers_users:index")).status_code == 200


ACTIONS = {name: globals()[name] for name in MATRIX}


ROLE_IDS = ["correspondent", "editor", "duty_editor", "administrator", "anonymous"]


@pytest.mark.parametrize("role", [*roles.ROLES, ANONYMOUS], ids=ROLE_IDS)
@pytest.mark.parametrize("action", list(MATRIX))
def test_permission_matrix(client, newsroom, section, role, action):
    ctx = {
        "home": newsroom,
        "section": section,
        "colleague": UserFactory(role=roles.CORRESPONDENT),
        "correspondent": UserFactory(role=roles.CORRESPONDENT),
    }
    ctx["published"] = ArticlePageFactory(parent=section, owner=ctx["colleague"], slug="published-one")
    user = None
    if role != ANONYMOUS:
        user = UserFactory(role=role)
        client.force_login(user)
    performed = ACTIONS[action](client, user, ctx)
    expected = role in MATRIX[action]
    assert performed == expected, f"{role} {'could not' if expected else 'could'} {action}"


def test_matrix_covers_every_role_and_the_roles_exist(newsroom):
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLES)
    assert all(role_set <= set(roles.ROLES) for role_set in MATRIX.values())


def test_wagtail_sample_groups_are_gone(newsroom):
    from django.contrib.auth.models import Group

    assert not Group.objects.filter(name__in=roles.WAGTAIL_SAMPLE_GROUPS).exists()


def test_a_new_section_gets_the_roles_permissions(newsroom):
    from polosa.news.tests.factories import SectionPageFactory

    sport = SectionPageFactory(parent=newsroom, title="Спорт", slug="sport")
    correspondent = UserFactory(role=roles.CORRESPONDENT)
    editor = UserFactory(role=roles.EDITOR)
    assert sport.permissions_for_user(correspondent).can_add_subpage()
    assert not sport.permissions_for_user(correspondent).can_publish_subpage()
    assert sport.permissions_for_user(editor).can_publish_subpage()
    assert not newsroom.permissions_for_user(editor).can_edit()


def test_role_of_names_the_strongest_role(newsroom):
    from django.contrib.auth.models import Group

    user = UserFactory(role=roles.CORRESPONDENT)
    assert roles.role_of(user) == roles.CORRESPONDENT
    user.groups.add(Group.objects.get(name=roles.DUTY_EDITOR))
    assert roles.role_of(user) == roles.DUTY_EDITOR


def test_only_an_articles_editors_may_lock_it(client, newsroom, section):
    owner = UserFactory(role=roles.CORRESPONDENT)
    page = ArticlePageFactory(parent=section, owner=owner, slug="locked-one")
    lock_url = reverse("wagtailadmin_pages:lock", args=(page.pk,))

    client.force_login(UserFactory(role=roles.CORRESPONDENT))
    client.post(lock_url)
    page.refresh_from_db()
    assert not page.locked
    assert page.locked_by_id is None

    editor = UserFactory(role=roles.EDITOR)
    client.force_login(editor)
    client.post(lock_url)
    page.refresh_from_db()
    assert page.locked
    assert page.locked_by_id == editor.pk


def test_roles_revoke_a_correspondents_lock_granted_before(newsroom, section):
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    # A database whose roles were created while correspondents still had "lock" on each section.
    correspondents = Group.objects.get(name=roles.CORRESPONDENT)
    lock = Permission.objects.get(content_type__app_label="wagtailcore", codename="lock_page")
    granted = {"group": correspondents, "page": section, "permission": lock}
    GroupPagePermission.objects.get_or_create(**granted)
    importlib.import_module("polosa.newsroom.migrations.0003_withdraw_correspondent_lock").withdraw(
        apps, None
    )
    assert not GroupPagePermission.objects.filter(**granted).exists()
    GroupPagePermission.objects.create(**granted)
    roles.ensure_roles()
    assert not GroupPagePermission.objects.filter(group=correspondents, permission=lock).exists()
    correspondent = UserFactory(role=roles.CORRESPONDENT)
    assert not section.permissions_for_user(correspondent).can_lock()
