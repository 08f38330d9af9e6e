from polosa.core import i18n_tools


def test_russian_translation_is_complete_and_compiled():
    assert i18n_tools.problems() == []
