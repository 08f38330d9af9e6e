"""The focal point can be set where a photo is uploaded, is checked, and the fill- crops follow it."""

import io
import json

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.images.forms import get_image_form, get_image_multi_form
from wagtail.models import Collection

from polosa.images.models import PolosaImage

from .factories import PolosaImageFactory, photo_file

pytestmark = pytest.mark.django_db

RED, BLUE = (220, 20, 20), (20, 20, 220)
NOT_NUMBERS = (
    "Фокус задаётся четырьмя целыми числами в пикселях (центр по горизонтали, центр по вертикали, "
    "ширина, высота) или не задаётся вовсе."
)
NOT_POSITIVE = "У фокуса не может быть отрицательных координат или пустой области."
OUTSIDE = "Фокус должен лежать внутри изображения ({} × {} пикселей)."


def halves_jpeg(size=(640, 180), exif_orientation=None) -> bytes:
    """Red on the left, blue on the right (as stored; an EXIF orientation may turn it upright)."""
    picture = Image.new("RGB", size, RED)
    picture.paste(BLUE, (size[0] // 2, 0, size[0], size[1]))
    buffer = io.BytesIO()
    exif = Image.Exif()
    if exif_orientation:
        exif[0x0112] = exif_orientation
    picture.save(buffer, "JPEG", quality=95, exif=exif)
    return buffer.getvalue()


def upload(content=None, name="halves.jpg"):
    return SimpleUploadedFile(name, content or halves_jpeg(), content_type="image/jpeg")


def focal(x, y, width, height, prefix=""):
    names = ("focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height")
    return {f"{prefix}{name}": value for name, value in zip(names, (x, y, width, height), strict=True)}


def is_blue(rgb):
    return rgb[2] > 150 and rgb[0] < 90


def fill_cut(image, spec="fill-160x90"):
    rendition = image.get_rendition(spec)
    with rendition.file.open() as file, Image.open(file) as cut:
        return cut.convert("RGB")


def multi_upload(admin_client):
    response = admin_client.post(reverse("wagtailimages:add_multiple"), {"files[]": upload()})
    answer = json.loads(response.content)
    assert answer["success"] is True
    return PolosaImage.objects.get(pk=answer["image_id"]), answer["form"]


def multi_edit(admin_client, image, **values):
    prefix = f"image-{image.pk}-"
    data = {
        f"{prefix}title": "Снимок",
        f"{prefix}collection": Collection.get_first_root_node().pk,
        **{f"{prefix}{name}": value for name, value in values.items()},
    }
    response = admin_client.post(reverse("wagtailimages:edit_multiple", args=(image.pk,)), data)
    return json.loads(response.content)


def test_the_multiple_uploaders_form_for_an_uploaded_photo_offers_the_focal_point(admin_client):
    image, form_html = multi_upload(admin_client)
    soup = BeautifulSoup(form_html, "html.parser")
    picker = soup.select_one("[data-controller=polosa-focal-point]")
    assert picker is not None
    # The picker shows a rendition of the upload, and knows the picture's full size.
    assert picker["data-polosa-focal-point-src-value"].endswith(".jpg")
    assert picker["data-polosa-focal-point-width-value"] == "640"
    assert picker["data-polosa-focal-point-height-value"] == "180"
    for name in ("focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height"):
        field = soup.select_one(f"input[type=hidden][name='image-{image.pk}-{name}']")
        assert field is not None, name
    assert "Фокус" in soup.get_text()


def test_the_multiple_uploader_stores_the_focal_point_and_the_crops_follow_it(admin_client):
    image, _ = multi_upload(admin_client)
    assert not is_blue(fill_cut(image).getpixel((20, 45)))  # centred: starts in the red half
    answer = multi_edit(admin_client, image, **focal(560, 90, 60, 60))
    assert answer["success"] is True, answer
    image.refresh_from_db()
    assert (image.focal_point_x, image.focal_point_y, image.focal_point_width, image.focal_point_height) == (
        560,
        90,
        60,
        60,
    )
    assert is_blue(fill_cut(image).getpixel((20, 45)))
    # Cleared again from the same form.
    assert multi_edit(admin_client, image, **focal("", "", "", ""))["success"] is True
    image.refresh_from_db()
    assert not image.has_focal_point()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (focal("сто", 90, 60, 60), NOT_NUMBERS),
        (focal(12.5, 90, 60, 60), NOT_NUMBERS),
        (focal(560, 90, "", ""), NOT_NUMBERS),
        (focal(-5, 90, 60, 60), NOT_POSITIVE),
        (focal(560, 90, 0, 60), NOT_POSITIVE),
        (focal(700, 90, 60, 60), OUTSIDE.format(640, 180)),
        (focal(620, 90, 60, 60), OUTSIDE.format(640, 180)),
        (focal(320, 90, 60, 400), OUTSIDE.format(640, 180)),
    ],
    ids=["words", "fraction", "incomplete", "negative", "empty-area", "right-of-it", "over-edge", "too-tall"],
)
def test_a_bad_focal_point_is_refused_with_a_message_in_russian(admin_client, values, message):
    image, _ = multi_upload(admin_client)
    answer = multi_edit(admin_client, image, **values)
    assert answer["success"] is False
    assert message in BeautifulSoup(answer["form"], "html.parser").get_text()
    image.refresh_from_db()
    assert not image.has_focal_point()

    form = get_image_form(PolosaImage)({"title": "Снимок", **values}, {"file": upload()})
    assert not form.is_valid()
    assert form.non_field_errors() == [message]


def test_the_add_form_and_the_choosers_upload_tab_store_a_focal_point(admin_client):
    form = get_image_form(PolosaImage)({"title": "Снимок", **focal(560, 90, 60, 60)}, {"file": upload()})
    assert form.is_valid(), form.errors
    image = form.save()
    assert image.get_focal_point().centroid == (560, 90)
    assert is_blue(fill_cut(image).getpixel((20, 45)))

    response = admin_client.post(
        reverse("wagtailimages_chooser:create"),
        {
            "image-chooser-upload-title": "Из окна выбора",
            "image-chooser-upload-file": upload(),
            **focal(100, 90, 40, 40, prefix="image-chooser-upload-"),
        },
    )
    assert response.status_code == 200
    chosen = PolosaImage.objects.get(title="Из окна выбора")
    assert chosen.get_focal_point().centroid == (100, 90)


def test_the_upload_forms_show_the_picker_and_the_edit_page_keeps_wagtails_own(admin_client):
    add_page = BeautifulSoup(admin_client.get(reverse("wagtailimages:add")).content, "html.parser")
    picker = add_page.select_one("[data-controller=polosa-focal-point]")
    assert picker["data-polosa-focal-point-from-file-value"] == "true"  # the chosen file, in the browser
    assert add_page.select_one("script[src$='images/focal-point.js']") is not None

    chooser = json.loads(admin_client.get(reverse("wagtailimages_chooser:choose")).content)
    assert "polosa-focal-point" in chooser["html"]

    image = PolosaImageFactory(file=photo_file((640, 180)))
    response = admin_client.get(reverse("wagtailimages:edit", args=(image.pk,)))
    edit_page = BeautifulSoup(response.content, "html.parser")
    assert edit_page.select("[data-controller=polosa-focal-point]") == []
    assert edit_page.select_one("div.focal-point-chooser") is not None
    assert edit_page.select_one("input.focal_point_x[type=hidden]") is not None


def test_the_edit_page_checks_the_focal_point_too(admin_client):
    image = PolosaImageFactory(file=photo_file((640, 180)))
    data = {"title": image.title, "collection": image.collection_id, **focal(900, 90, 60, 60)}
    response = admin_client.post(reverse("wagtailimages:edit", args=(image.pk,)), data)
    assert response.status_code == 200
    assert OUTSIDE.format(640, 180) in response.content.decode()
    data.update(focal(560, 90, 60, 60))
    assert admin_client.post(reverse("wagtailimages:edit", args=(image.pk,)), data).status_code == 302
    image.refresh_from_db()
    assert image.get_focal_point().centroid == (560, 90)


def test_a_photo_turned_by_its_exif_orientation_is_checked_upright():
    # Stored 640×180 and turned a quarter (orientation 6): upright it is 180×640, as crops are cut.
    content = halves_jpeg(exif_orientation=6)
    form_class = get_image_form(PolosaImage)
    form = form_class({"title": "Снимок", **focal(90, 560, 60, 60)}, {"file": upload(content)})
    assert form.is_valid(), form.errors
    form = form_class({"title": "Снимок", **focal(560, 90, 60, 60)}, {"file": upload(content)})
    assert form.non_field_errors() == [OUTSIDE.format(180, 640)]


def test_the_multiple_uploaders_form_class_is_still_wagtails(admin_client):
    # Nothing is patched: Wagtail's own multi form, built on our base form, gains the fields.
    form = get_image_multi_form(PolosaImage)(instance=PolosaImageFactory(), prefix="image-1", user=None)
    wanted = {"focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height", "focal_point"}
    assert wanted <= set(form.fields)
