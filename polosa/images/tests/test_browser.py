"""In a real browser: a photo editor sets the focal point in the upload flow, by mouse and by keys."""

import io

import pytest
from PIL import Image

from polosa.images.models import PolosaImage
from polosa.newsroom import roles
from polosa.newsroom.tests.browser import log_in
from polosa.newsroom.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def halves(path):
    picture = Image.new("RGB", (640, 180), (220, 20, 20))
    picture.paste((20, 20, 220), (320, 0, 640, 180))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90)
    path.write_bytes(buffer.getvalue())
    return str(path)


def click_at(page, stage, fx, fy):
    stage.scroll_into_view_if_needed()
    box = stage.bounding_box()
    page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)


def test_the_focal_point_is_set_in_the_multiple_uploader_and_on_the_add_page(
    live_server, browser_page, home, tmp_path
):
    roles.ensure_roles()
    UserFactory(role=roles.EDITOR, username="fotoredaktor")
    page = browser_page
    page.set_default_timeout(15000)
    base = live_server.url
    log_in(page, base, "fotoredaktor")

    # The multiple uploader: the form under the uploaded photo has the picture to click on.
    page.goto(f"{base}/admin/images/multiple/add/")
    page.set_input_files("#fileupload", halves(tmp_path / "ploshchad.jpg"))
    item = page.locator("#upload-list li").first
    stage = item.locator(".polosa-focal__stage")
    stage.wait_for(state="visible")
    click_at(page, stage, 0.875, 0.5)  # the blue half, where the face would be
    assert item.locator(".polosa-focal__box").is_visible()
    page.keyboard.press("ArrowLeft")  # the picture has the focus: nudged 2% to the left
    x = int(item.locator("input[name$='focal_point_x']").input_value())
    assert abs(x - (560 - 13)) <= 2, x
    item.locator("form button[type=submit]").click()
    page.locator("#upload-list li").first.wait_for(state="detached")  # Wagtail 8: updated, taken off the list
    image = PolosaImage.objects.get()
    assert abs(image.focal_point_x - 547) <= 2
    assert image.focal_point_y == 90
    assert image.focal_point_width == image.focal_point_height == 27  # 15% of the shorter side

    # The add page: the chosen file is shown before it is sent; a dragged box is the focal point.
    page.goto(f"{base}/admin/images/add/")
    page.set_input_files("input[type=file]", halves(tmp_path / "naberezhnaya.jpg"))
    stage = page.locator(".polosa-focal__stage")
    stage.wait_for(state="visible")
    stage.scroll_into_view_if_needed()
    box = stage.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.05, box["y"] + box["height"] * 0.1)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.9, steps=5)
    page.mouse.up()
    page.fill("#id_title", "Набережная")
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_url(f"{base}/admin/images/")
    added = PolosaImage.objects.get(title="Набережная")
    assert abs(added.focal_point_x - 96) <= 4, added.focal_point_x
    assert abs(added.focal_point_width - 128) <= 4, added.focal_point_width
    # The admin's avatars come from Gravatar, which the CSP (and the test browser) refuse.
    assert [p for p in page.problems if "gravatar" not in p] == []
