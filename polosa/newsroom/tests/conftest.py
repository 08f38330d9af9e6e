import pytest

from polosa.newsroom import roles


@pytest.fixture
def newsroom(home, section, story_index):
    """The roles and the workflow over a site with one section (rebuilt after a flush if needed)."""
    roles.ensure_roles()
    return home


@pytest.fixture
def staff(newsroom):
    """One account per role, keyed by role name, plus "anonymous" (None)."""
    from .factories import UserFactory

    return {role: UserFactory(role=role) for role in roles.ROLES}
