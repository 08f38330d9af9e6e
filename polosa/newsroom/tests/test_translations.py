"""Russian the editors see in Wagtail's own admin, corrected where Wagtail's catalogue is wrong."""

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_the_uploader_says_a_photo_was_uploaded_in_plain_russian():
    with translation.override("ru"):
        text = translation.gettext(
            "Upload successful. Please update this image with a more appropriate title, if necessary. "
            "You may also delete the image completely if the upload wasn't required."
        )
    assert text.startswith("Фото загружено.")
    assert "Так-же" not in text


def test_the_admin_sends_no_editor_to_gravatar(admin_client):
    from wagtail.users.utils import get_gravatar_url

    assert get_gravatar_url("editor@example.com") is None
    page = admin_client.get("/admin/").content.decode()
    assert "gravatar.com" not in page
