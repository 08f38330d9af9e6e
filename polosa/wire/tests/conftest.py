from pathlib import Path

import pytest

SAMPLES = Path(__file__).parent / "samples"


def sample_bytes(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.fixture
def sample():
    return sample_bytes


@pytest.fixture
def source(db, section):
    from .factories import SourceFactory

    return SourceFactory(default_section=section)


@pytest.fixture
def english():
    """Refusal reasons are translated for the admin; tests that read them do so in English."""
    from django.utils import translation

    with translation.override("en"):
        yield
