"""The push endpoint: bearer token from the environment, document stored before the answer."""

import pytest

from polosa.wire.models import DocumentStatus, RawDocument, SourceKind, WireItem

from .conftest import sample_bytes
from .factories import SourceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TOKEN = "push-token-for-tests"


@pytest.fixture
def push_source(section, monkeypatch):
    monkeypatch.setenv("WIRE_PUSH_TOKEN", TOKEN)
    return SourceFactory(
        kind=SourceKind.PUSH, slug="ekspress", token_env="WIRE_PUSH_TOKEN", default_section=section
    )


def post(client, body, token=TOKEN, slug="ekspress", content_type="application/json"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(f"/wire/push/{slug}/", data=body, content_type=content_type, **headers)


def test_a_pushed_item_is_in_the_inbox_when_the_endpoint_answers(client, push_source):
    response = post(client, sample_bytes("ninjs2.json"))
    assert response.status_code == 200
    assert response.json()["created"] == 1
    assert WireItem.objects.in_inbox().get().headline.startswith("Экспорт российской пшеницы")
    push_source.refresh_from_db()
    assert push_source.last_success_at is not None


def test_newsml_can_be_pushed_too(client, push_source):
    response = post(
        client, sample_bytes("newsml_message.xml"), content_type="application/vnd.iptc.g2.newsmessage+xml"
    )
    assert response.json()["created"] == 3


@pytest.mark.parametrize("token", ["", "wrong"])
def test_a_push_without_the_token_is_refused_and_stores_nothing(client, push_source, token):
    response = post(client, sample_bytes("ninjs2.json"), token=token)
    assert response.status_code == 401
    assert WireItem.objects.count() == 0
    assert RawDocument.objects.count() == 0


def test_a_source_without_a_configured_token_accepts_nothing(client, push_source, monkeypatch):
    monkeypatch.delenv("WIRE_PUSH_TOKEN")
    assert post(client, sample_bytes("ninjs2.json"), token="").status_code == 401
    assert post(client, sample_bytes("ninjs2.json"), token="anything").status_code == 401


def test_a_bad_pushed_document_is_kept_and_answered_422(client, push_source):
    response = post(client, sample_bytes("bomb.xml"), content_type="application/xml")
    assert response.status_code == 422
    assert "bomb" in response.json()["error"]
    assert RawDocument.objects.get().status == DocumentStatus.FAILED
    push_source.refresh_from_db()
    assert "bomb" in push_source.last_error


def test_only_push_sources_have_an_endpoint(client, section):
    SourceFactory(kind=SourceKind.FOLDER, slug="folder-only", default_section=section)
    assert post(client, sample_bytes("ninjs2.json"), slug="folder-only").status_code == 404


def test_get_is_not_allowed(client, push_source):
    assert client.get("/wire/push/ekspress/").status_code == 405
