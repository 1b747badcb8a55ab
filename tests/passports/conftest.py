import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from passports.models import PassportTracking
from tests import factories


@pytest.fixture
def make_tracking(tokyo):
    """A tracked passport (Tokyo's by default) whose status last changed an hour ago."""

    def make(key="TK1234567", *, post=None, status=PassportTracking.Status.AT_POST, **fields):
        return PassportTracking.objects.create(
            post=post or tokyo, key=key, status=status,
            status_changed_at=fields.pop("status_changed_at", timezone.now() - dt.timedelta(hours=1)), **fields)

    return make


@pytest.fixture
def clerk_tokyo(tokyo):
    """Passport staff of Tokyo."""
    return factories.passport_staff(tokyo, username="passport-staff-tokyo")


@pytest.fixture
def clerk(clerk_tokyo):
    """A browser logged in as ``clerk_tokyo``."""
    client = Client()
    client.force_login(clerk_tokyo)
    return client
