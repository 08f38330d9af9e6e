"""The newsroom's roles and the review workflow, built from Wagtail's own permission models.

Four groups with Russian names (they are data, shown as-is in the admin):

* correspondent ("Корреспонденты"): creates articles in any section and edits their own until they
  are published by someone else ("add" page permission on each section), uploads and chooses
  images, submits for review; cannot publish, unpublish or edit the front page.
* editor ("Редакторы"): edits, publishes, schedules and unpublishes any article or story line
  ("add", "change", "publish", "lock", "unlock" on each section and on the story index), approves
  or rejects submissions, manages images, tags and authors.
* duty editor ("Дежурные редакторы"): everything an editor can, plus the front page itself (its main
  and top stories: "change" and "publish" on the front page), the breaking-news banner, and live
  blogs: they create them under the front page ("add" there, limited to live blogs by
  `may_create_under_front_page`, so sections stay the administrators') and post their entries.
* administrator ("Администраторы"): every permission, including users, groups and site settings.

Editors' page permissions sit on the front page's children rather than on the front page, because
Wagtail's permissions cover a page and all its descendants: that is what keeps the front page the
duty editor's. A new section or story index gets the same permissions when it is created
(`grant_section_permissions`, connected in signal_handlers).

`ensure_roles` is idempotent and takes an app registry, so the data migration runs it with the
historical models and tests or the demo loader can run it again (a transactional test's flush
deletes what migrations created).
"""

from __future__ import annotations

from django.apps import apps as global_apps

CORRESPONDENT = "Корреспонденты"
EDITOR = "Редакторы"
DUTY_EDITOR = "Дежурные редакторы"
ADMINISTRATOR = "Администраторы"
ROLES = (CORRESPONDENT, EDITOR, DUTY_EDITOR, ADMINISTRATOR)

WORKFLOW_NAME = "Проверка редактором"
TASK_NAME = "Проверка редактором"
APPROVERS = (EDITOR, DUTY_EDITOR, ADMINISTRATOR)

# Page permissions (Wagtail's codenames are "<action>_page").
SECTION_PAGE_PERMISSIONS = {
    CORRESPONDENT: ("add",),
    EDITOR: ("add", "change", "publish", "lock", "unlock"),
    DUTY_EDITOR: ("add", "change", "publish", "lock", "unlock"),
}
# Page permissions a role once had and must lose wherever they were granted. Wagtail's "lock" covers
# every page under the section, so a correspondent could lock a colleague's published article and
# keep its editors out; only those who may edit and publish an article may lock it.
WITHDRAWN_PAGE_PERMISSIONS = {CORRESPONDENT: ("lock",)}
HOME_PAGE_PERMISSIONS = {DUTY_EDITOR: ("add", "change", "publish", "lock", "unlock")}
# What a role below administrator may create right under the front page ("add" there would
# otherwise allow sections and story indexes too).
FRONT_PAGE_CREATABLE = ("live.liveblogpage",)
ROOT_PAGE_PERMISSIONS = {ADMINISTRATOR: ("add", "change", "publish", "lock", "unlock", "bulk_delete")}

# Image permissions on the root collection. Wagtail checks a custom image model against the
# permissions of its own Image model (wagtailimages.add_image, choose_image, …).
IMAGE_PERMISSIONS = {
    CORRESPONDENT: ("add", "choose"),
    EDITOR: ("add", "change", "choose"),
    DUTY_EDITOR: ("add", "change", "choose"),
    ADMINISTRATOR: ("add", "change", "delete", "choose"),
}

# Model permissions ("app_label.codename"); administrators get every permission there is.
MODEL_PERMISSIONS = {
    CORRESPONDENT: ("wagtailadmin.access_admin",),
    EDITOR: (
        "wagtailadmin.access_admin",
        "news.add_tag",
        "news.change_tag",
        "news.add_author",
        "news.change_author",
    ),
    DUTY_EDITOR: (
        "wagtailadmin.access_admin",
        "news.add_tag",
        "news.change_tag",
        "news.add_author",
        "news.change_author",
        "newsroom.add_breakingbanner",
        "newsroom.change_breakingbanner",
        "newsroom.delete_breakingbanner",
        "newsroom.view_breakingbanner",
        "live.add_liveblogentry",
        "live.change_liveblogentry",
        "live.delete_liveblogentry",
        "live.view_liveblogentry",
    ),
}

# Wagtail's sample groups and workflow; removed or switched off so only the newsroom's roles remain.
WAGTAIL_SAMPLE_GROUPS = ("Editors", "Moderators")
WAGTAIL_SAMPLE_WORKFLOW = "Moderators approval"


def _create_permissions(apps) -> None:
    """Make sure every model's permissions exist (in a migration they are created only afterwards)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for app_config in apps.get_app_configs():
        # Historical app configs have no models module, which would make both functions skip them;
        # the real ones must keep theirs (later post_migrate runs depend on it).
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        try:
            create_contenttypes(app_config, apps=apps, verbosity=0)
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = original


def _permission(apps, app_label: str, codename: str):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _page_permission(apps, action: str):
    return _permission(apps, "wagtailcore", f"{action}_page")


def _home_page(apps):
    Site = apps.get_model("wagtailcore", "Site")
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    return site.root_page if site else None


def _grant_pages(apps, groups: dict, page_ids, grants: dict) -> None:
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    for role, actions in grants.items():
        for page_id in page_ids:
            for action in actions:
                GroupPagePermission.objects.get_or_create(
                    group=groups[role], page_id=page_id, permission=_page_permission(apps, action)
                )


def withdraw_page_permissions(apps=global_apps) -> int:
    """Remove the grants of WITHDRAWN_PAGE_PERMISSIONS on any page; return how many were removed."""
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    removed = 0
    for role, actions in WITHDRAWN_PAGE_PERMISSIONS.items():
        grants = GroupPagePermission.objects.filter(
            group__name=role,
            permission__content_type__app_label="wagtailcore",
            permission__codename__in=[f"{action}_page" for action in actions],
        )
        removed += grants.delete()[0]
    return removed


def section_like_page_ids(apps, home) -> list[int]:
    """The front page's children that hold articles or story lines: sections and the story index."""
    ids = []
    for label in ("SectionPage", "StoryIndexPage"):
        model = apps.get_model("news", label)
        ids += list(
            model.objects.filter(path__startswith=home.path, depth=home.depth + 1).values_list(
                "pk", flat=True
            )
        )
    return ids


def grant_section_permissions(page_id: int, apps=global_apps) -> None:
    """Give the roles their section permissions on a new section or story index."""
    Group = apps.get_model("auth", "Group")
    groups = {g.name: g for g in Group.objects.filter(name__in=ROLES)}
    if set(SECTION_PAGE_PERMISSIONS) <= set(groups):
        _grant_pages(apps, groups, [page_id], SECTION_PAGE_PERMISSIONS)


def ensure_roles(apps=global_apps) -> dict:
    """Create (or complete) the four roles and the review workflow; return the groups by name."""
    _create_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLES}

    for role, names in MODEL_PERMISSIONS.items():
        for name in names:
            app_label, codename = name.split(".")
            groups[role].permissions.add(_permission(apps, app_label, codename))
    groups[ADMINISTRATOR].permissions.add(*Permission.objects.all())

    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is None and apps is global_apps:
        # A transactional test's flush removes the root collection that migrations made.
        root_collection = Collection.add_root(name="Root")
    if root_collection is not None:
        for role, actions in IMAGE_PERMISSIONS.items():
            for action in actions:
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[role],
                    collection=root_collection,
                    permission=_permission(apps, "wagtailimages", f"{action}_image"),
                )

    home = _home_page(apps)
    Page = apps.get_model("wagtailcore", "Page")
    root = Page.objects.filter(depth=1).first()
    if root is not None:
        _grant_pages(apps, groups, [root.pk], ROOT_PAGE_PERMISSIONS)
    if home is not None:
        _grant_pages(apps, groups, [home.pk], HOME_PAGE_PERMISSIONS)
        _grant_pages(apps, groups, section_like_page_ids(apps, home), SECTION_PAGE_PERMISSIONS)
        ensure_workflow(apps, groups, home)

    withdraw_page_permissions(apps)

    # Wagtail's sample groups would confuse the newsroom's roles; drop them while nobody is in them.
    for name in WAGTAIL_SAMPLE_GROUPS:
        Group.objects.filter(name=name, user__isnull=True).delete()
    return groups


def ensure_workflow(apps, groups: dict, home) -> None:
    """The workflow "review by an editor" on the front page's tree (every article), one task."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(name=TASK_NAME, active=True, content_type=content_type)
    task.groups.add(*(groups[name] for name in APPROVERS))

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page_id=home.pk, defaults={"workflow": workflow})

    # Wagtail's sample workflow sits on the root page; its approvers were the sample groups.
    sample = Workflow.objects.filter(name=WAGTAIL_SAMPLE_WORKFLOW).first()
    if sample is not None:
        WorkflowPage.objects.filter(workflow=sample).delete()
        sample.active = False
        sample.save(update_fields=["active"])


def role_of(user) -> str | None:
    """The newsroom role of a user (the most powerful one if several), or None."""
    if user.is_superuser:
        return ADMINISTRATOR
    names = set(user.groups.values_list("name", flat=True))
    for role in reversed(ROLES):
        if role in names:
            return role
    return None


def may_create_under_front_page(user, page_class) -> bool:
    """Whether `user` may create a page of `page_class` right under the front page."""
    if role_of(user) == ADMINISTRATOR:
        return True
    return page_class._meta.label_lower in FRONT_PAGE_CREATABLE
