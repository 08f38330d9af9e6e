import io

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission

from polosa.news.models import SectionPage
from polosa.news.tests.factories import SectionPageFactory
from polosa.newsroom import demo, roles

pytestmark = pytest.mark.django_db


def test_demo_gives_every_section_the_roles_and_can_run_twice(home):
    sections = [SectionPageFactory(parent=home) for _ in range(2)]
    GroupPagePermission.objects.filter(page__in=sections).delete()  # as if made before the roles
    out = io.StringIO()
    demo.load(out)
    demo.load(out)
    assert "Корреспонденты" in out.getvalue()
    assert set(Group.objects.filter(name__in=roles.ROLES).values_list("name", flat=True)) == set(roles.ROLES)
    for section in SectionPage.objects.filter(pk__in=[s.pk for s in sections]):
        editors = GroupPagePermission.objects.filter(page=section, group__name=roles.EDITOR)
        assert sorted(editors.values_list("permission__codename", flat=True)) == sorted(
            f"{action}_page" for action in roles.SECTION_PAGE_PERMISSIONS[roles.EDITOR]
        )
