import pytest

from .factories import AdvertiserFactory, PartnerIndexPageFactory


@pytest.fixture
def advertiser(db):
    return AdvertiserFactory(name="ООО «Ромашка»", inn="7701234560", url="https://romashka.example/")


@pytest.fixture
def partner_index(home):
    return PartnerIndexPageFactory(parent=home)
