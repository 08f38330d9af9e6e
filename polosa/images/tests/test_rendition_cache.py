"""Renditions are read from the cache without being written back on every use."""

from unittest import mock

import pytest

from polosa.images.models import PolosaImage, PolosaRendition
from polosa.images.tests.factories import PolosaImageFactory
from testsupport import clear_cache

pytestmark = pytest.mark.django_db


def fresh(image) -> PolosaImage:
    return PolosaImage.objects.get(pk=image.pk)


def cache_writes():
    backend = PolosaRendition.cache_backend
    return mock.patch.object(backend, "set_many", wraps=backend.set_many), mock.patch.object(
        backend, "set", wraps=backend.set
    )


def test_a_rendition_read_from_the_cache_is_not_written_back():
    image = PolosaImageFactory()
    made = image.get_rendition("fill-400x225")
    set_many, set_one = cache_writes()
    with set_many as writes, set_one as single_writes:
        again = fresh(image).get_rendition("fill-400x225")
    assert again.pk == made.pk
    assert again.url == made.url
    assert writes.call_count == 0
    assert single_writes.call_count == 0


def test_a_rendition_found_only_in_the_database_goes_into_the_cache(django_assert_num_queries):
    image = PolosaImageFactory()
    made = image.get_rendition("fill-400x225")
    clear_cache()
    set_many, _ = cache_writes()
    with set_many as writes:
        found = fresh(image).get_rendition("fill-400x225")
    assert found.pk == made.pk
    assert writes.call_count == 1
    [stored] = writes.call_args.args[0].values()
    assert stored.pk == made.pk
    # ...and the next reader gets it from the cache, with no database query for it.
    reader = fresh(image)
    with django_assert_num_queries(0):
        assert reader.get_rendition("fill-400x225").pk == made.pk


def test_a_new_rendition_is_made_with_the_requested_size():
    image = PolosaImageFactory(file__width=1600, file__height=1200)
    rendition = image.get_rendition("fill-800x450|format-webp")
    assert (rendition.width, rendition.height) == (800, 450)
    assert rendition.url.endswith(".webp")


def test_one_filter_per_spec_serves_every_image_with_its_own_focal_point():
    from polosa.images.models import shared_filter

    plain = PolosaImageFactory(file__width=1600, file__height=1200)
    focused = PolosaImageFactory(
        file__width=1600,
        file__height=1200,
        focal_point_x=1400,
        focal_point_y=1000,
        focal_point_width=100,
        focal_point_height=100,
    )
    assert shared_filter("fill-400x225") is shared_filter("fill-400x225")
    first, second = plain.get_rendition("fill-400x225"), focused.get_rendition("fill-400x225")
    assert first.image_id == plain.pk
    assert second.image_id == focused.pk
    assert first.focal_point_key != second.focal_point_key
    # The picture tag's Filter objects are mapped onto the same shared ones.
    from wagtail.images.models import Filter

    found = fresh(focused).get_renditions(Filter(spec="fill-400x225"), "fill-800x450|format-webp")
    assert found["fill-400x225"].pk == second.pk
    assert (found["fill-800x450|format-webp"].width, found["fill-800x450|format-webp"].height) == (800, 450)
