import io

import factory
import wagtail_factories

from polosa.images.models import PolosaImage


class PolosaImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Снимок {n}")
    caption = "Участники заседания в зале"
    credit = "Ирина Светлова / «Вестник»"
    description = "Люди сидят за длинным столом"

    class Meta:
        model = PolosaImage


def photo_file(size=(320, 180), colour=(30, 90, 200), name="photo.jpg", halves=None, mode="RGB"):
    """An image file for a factory: one colour, or `halves` = (left colour, right colour)."""
    from django.core.files.images import ImageFile
    from PIL import Image

    picture = Image.new(mode, size, colour)
    if halves:
        left, right = halves
        picture.paste(left, (0, 0, size[0] // 2, size[1]))
        picture.paste(right, (size[0] // 2, 0, size[0], size[1]))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG" if name.endswith(".png") else "JPEG", quality=95)
    return ImageFile(buffer, name=name)
