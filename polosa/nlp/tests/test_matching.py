"""Entities matched to typed tags by case forms, surnames and aliases; the rest offered as new tags."""

import pytest

from polosa.news.models import TagKind
from polosa.news.tests.factories import TagFactory
from polosa.nlp import extraction, matching

pytestmark = pytest.mark.django_db


def suggestions(text):
    return matching.suggest(matching.group(extraction.extract(text)))


def tag_of(found, tag):
    return [s for s in found if s.tag is not None and s.tag.pk == tag.pk]


@pytest.fixture
def lavrov():
    return TagFactory(kind=TagKind.PERSON, name="Сергей Лавров", slug="sergey-lavrov")


def test_surname_in_case_forms_matches_the_full_name_tag(nlp_models, lavrov):
    found = suggestions("Журналисты спросили Лаврова о переговорах. Ответ Лавровым был дан сразу.")
    (match,) = tag_of(found, lavrov)
    assert match.kind == TagKind.PERSON
    assert match.mentions == 2
    assert not [s for s in found if s.tag is None and "Лавров" in s.name]


def test_full_name_in_the_dative_matches_the_tag(nlp_models, lavrov):
    found = suggestions("Сергею Лаврову вручили приглашение на саммит.")
    assert tag_of(found, lavrov)


def test_surname_after_the_full_name_is_one_entity(nlp_models):
    entities = matching.group(
        extraction.extract("Министр Антон Силуанов выступил в Казани. Позже Силуанову задали вопрос.")
    )
    people = [e for e in entities if e.type == extraction.PER]
    assert [(e.name, e.mentions) for e in people] == [("Антон Силуанов", 2)]


def test_two_people_with_one_surname_are_both_offered(nlp_models):
    first = TagFactory(kind=TagKind.PERSON, name="Игорь Сечин", slug="igor-sechin")
    second = TagFactory(kind=TagKind.PERSON, name="Анна Сечина", slug="anna-sechina")
    other = TagFactory(kind=TagKind.PERSON, name="Олег Дерипаска", slug="oleg")
    # «Сечину» is the dative of «Сечин» and the accusative of «Сечина»: the editor chooses.
    found = suggestions("Акционеры направили письмо Сечину.")
    assert tag_of(found, first)
    assert tag_of(found, second)
    assert not tag_of(found, other)


def test_an_alias_matches_the_tag(nlp_models):
    bank = TagFactory(
        kind=TagKind.ORGANISATION,
        name="Центральный банк Российской Федерации",
        slug="cb",
        aliases="ЦБ\nБанк России\n",
    )
    found = suggestions("ЦБ сохранил ключевую ставку. Решение Банка России аналитики ждали.")
    (match,) = tag_of(found, bank)
    assert match.mentions == 2
    assert match.name == "Центральный банк Российской Федерации"


def test_a_place_tag_matches_its_case_forms(nlp_models):
    city = TagFactory(kind=TagKind.PLACE, name="Санкт-Петербург", slug="spb")
    assert tag_of(suggestions("Форум пройдёт в Санкт-Петербурге в июне."), city)


def test_unknown_entities_are_offered_as_new_tags_of_their_kind(nlp_models):
    found = suggestions(
        "Губернатор Ольга Ветрова прилетела в Новосибирск. Компания «Северные верфи» подписала контракт."
    )
    new = {(s.kind, s.name) for s in found if s.tag is None}
    assert (TagKind.PERSON, "Ольга Ветрова") in new
    assert (TagKind.PLACE, "Новосибирск") in new
    assert any(kind == TagKind.ORGANISATION and "Северные верфи" in name for kind, name in new)


def test_a_person_tag_is_not_matched_by_a_place_of_the_same_name(nlp_models):
    person = TagFactory(kind=TagKind.PERSON, name="Александр Королёв", slug="korolev")
    found = suggestions("Новый завод открылся в Королёве Московской области.")
    assert not tag_of(found, person)


def test_a_topic_tag_of_the_same_name_is_used_when_no_typed_one_exists(nlp_models):
    opec = TagFactory(kind=TagKind.TOPIC, name="ОПЕК", slug="opec")
    found = suggestions("Страны ОПЕК договорились сократить добычу нефти.")
    assert not tag_of(found, opec)  # topics are not matched: they are not what the text names
    assert any(s.tag is None and s.name == "ОПЕК" for s in found)


def test_the_index_follows_tag_changes(nlp_models, lavrov, django_capture_on_commit_callbacks):
    assert matching.tag_index().match(matching.Entity("PER", "Лавров", variants={"Лавров"}))
    with django_capture_on_commit_callbacks(execute=True):
        lavrov.name = "Сергей Викторович Лавров"
        lavrov.save()
        TagFactory(kind=TagKind.PLACE, name="Нижний Новгород", slug="nn")
    index = matching.tag_index()
    assert index.match(matching.Entity("LOC", "Нижний Новгород", variants={"Нижнем Новгороде"}))
