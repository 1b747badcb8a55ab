import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from inquiries.models import Case


@pytest.fixture
def make_case(tokyo):
    """A case (Tokyo's by default) whose status last changed an hour ago."""

    def make(key="EAC2112345678", *, post=None, status=Case.Status.RECEIVED, **fields):
        return Case.objects.create(
            post=post or tokyo, key=key, status=status,
            status_changed_at=fields.pop("status_changed_at", timezone.now() - dt.timedelta(hours=1)), **fields)

    return make


@pytest.fixture
def officer_client(officer_tokyo):
    """A browser logged in as Tokyo's officer."""
    client = Client()
    client.force_login(officer_tokyo)
    return client
