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
