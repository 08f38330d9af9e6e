"""Natasha finds people, organisations and places and puts each in the nominative."""

import logging
import time

import pytest

from polosa.nlp import extraction


def found(text):
    return {(m.type, m.normal) for m in extraction.extract(text)}


def test_a_surname_in_the_instrumental_and_dative_becomes_nominative(nlp_models):
    text = "Журналисты поговорили с Лавровым после брифинга. Затем Лаврову задали вопрос о визите."
    assert found(text) >= {("PER", "Лавров")}


def test_a_full_name_in_the_genitive_becomes_nominative(nlp_models):
    text = "Депутаты дождались ответа Эльвиры Набиуллиной на свой запрос."
    assert ("PER", "Эльвира Набиуллина") in found(text)


def test_an_organisation_keeps_its_complement_and_inflects_its_head(nlp_models):
    text = "Представитель МИД России выступил в Государственной думе. Аналитики Банка России не согласны."
    names = found(text)
    assert ("ORG", "МИД России") in names
    assert ("ORG", "Государственная дума") in names
    assert ("ORG", "Банк России") in names


def test_places_in_the_prepositional_and_genitive_become_nominative(nlp_models):
    text = "Делегация прилетела в Пекин из Новосибирска, а переговоры прошли в Санкт-Петербурге."
    names = found(text)
    assert {("LOC", "Пекин"), ("LOC", "Новосибирск"), ("LOC", "Санкт-Петербург")} <= names


def test_mentions_keep_their_place_in_the_text(nlp_models):
    text = "Вчера в Казани открылась выставка."
    (mention,) = extraction.extract(text)
    assert text[mention.start : mention.stop] == "Казани"
    assert mention.text == "Казани"


def test_the_models_are_loaded_once_per_process(nlp_models):
    assert extraction.get_pipeline() is nlp_models
    assert extraction.is_loaded()
    assert nlp_models.stats.seconds > 0


def test_the_vocabulary_is_pymorphy3_so_natasha_runs_without_pkg_resources(nlp_models):
    import pymorphy3

    assert isinstance(nlp_models.vocab, pymorphy3.MorphAnalyzer)
    (form, *_) = nlp_models.vocab("лавровым")
    assert form.normal == "лавров"
    assert form.feats["Case"] == "Ins"


# --- Bad input -------------------------------------------------------------------------------------


def test_empty_text_gives_nothing_and_says_so(nlp_models, caplog):
    caplog.set_level(logging.INFO, "polosa.nlp")
    assert extraction.extract("", label="article 7") == []
    assert extraction.extract("   \n\t ", label="article 7") == []
    assert extraction.extract(None) == []
    assert "article 7 is empty" in caplog.text


def test_markup_only_text_is_empty(nlp_models, caplog):
    caplog.set_level(logging.INFO, "polosa.nlp")
    assert extraction.extract("<p><br></p><div>&nbsp;</div>") == []
    assert "is empty" in caplog.text


def test_huge_text_is_cut_and_read_in_bounded_time(nlp_models, caplog):
    caplog.set_level(logging.INFO, "polosa.nlp")
    sentence = "Глава Минфина Антон Силуанов прилетел в Екатеринбург на совещание. "
    text = sentence * (1_000_000 // len(sentence) + 1)
    assert len(text) >= 1_000_000
    started = time.perf_counter()
    mentions = extraction.extract(text, label="article 9")
    elapsed = time.perf_counter() - started
    assert elapsed < 20  # the whole megabyte takes minutes; the cut part a second or two
    assert max(m.stop for m in mentions) <= extraction.max_chars()
    assert ("PER", "Антон Силуанов") in {(m.type, m.normal) for m in mentions}
    assert "article 9 is 1000" in caplog.text
    assert "only the first 20000 are read" in caplog.text


def test_the_cut_follows_the_setting(nlp_models, settings):
    settings.POLOSA_NLP_MAX_CHARS = 100
    text = "Мэр Самары открыл мост. " * 50
    mentions = extraction.extract(text)
    assert mentions
    assert max(m.stop for m in mentions) <= 100


def test_english_text_is_not_read(nlp_models, caplog):
    caplog.set_level(logging.INFO, "polosa.nlp")
    text = "The Bank of England kept rates on hold, Andrew Bailey said in London on Thursday."
    assert extraction.extract(text, label="article 3") == []
    assert "article 3 does not look like Russian text" in caplog.text


def test_a_russian_text_with_latin_names_is_read(nlp_models):
    text = "Компания Apple открыла офис в Москве, сообщил Тим Кук журналистам в Москве."
    assert ("LOC", "Москва") in found(text)


@pytest.mark.parametrize(
    "markup",
    [
        '<p>Губернатор <b>Подмосковья</b> встретился с <a href="/x">Андреем Воробьёвым</a>'
        "&nbsp;в Химках.</p>",
        "<div><script>var a = '<p>';</script><p>Переговоры прошли в&nbsp;Казани.</p></div>",
    ],
)
def test_html_is_stripped_before_reading(nlp_models, markup):
    mentions = extraction.extract(markup)
    assert mentions
    for mention in mentions:
        assert "<" not in mention.text
        assert "&" not in mention.text
        assert ">" not in mention.normal


def test_digits_and_punctuation_give_nothing(nlp_models):
    assert extraction.extract("12345 — 678,90 %; ... !!!") == []
