from polosa.news.sections import find_section, menu_sections
from polosa.news.tests.factories import SectionPageFactory


def test_the_menu_lists_published_menu_sections_in_tree_order(home):
    first = SectionPageFactory(parent=home, title="Политика", slug="politics", show_in_menus=True)
    second = SectionPageFactory(parent=home, title="Спорт", slug="sport", show_in_menus=True)
    SectionPageFactory(parent=home, title="Архив", slug="archive", show_in_menus=False)
    draft = SectionPageFactory(parent=home, title="Черновик", slug="draft", show_in_menus=True)
    draft.unpublish()
    assert [s.pk for s in menu_sections()] == [first.pk, second.pk]


def test_a_menu_section_is_found_without_a_query(home, django_assert_num_queries):
    SectionPageFactory(parent=home, title="Спорт", slug="sport", show_in_menus=True)
    menu = menu_sections()
    with django_assert_num_queries(0):
        assert find_section("sport", among=menu).slug == "sport"


def test_a_section_kept_out_of_the_menu_is_found_too(home):
    SectionPageFactory(parent=home, title="Архив", slug="archive", show_in_menus=False)
    assert find_section("archive", among=menu_sections()).title == "Архив"


def test_an_unknown_or_unpublished_section_is_none(home):
    draft = SectionPageFactory(parent=home, title="Черновик", slug="draft")
    draft.unpublish()
    assert find_section("draft") is None
    assert find_section("no-such-section") is None
