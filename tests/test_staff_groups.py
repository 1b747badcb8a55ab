"""Staff groups with least privilege, and the read-only outbox in the admin."""

import pytest
from django.contrib.auth.models import Group, User

from consular_portal import outbox
from consular_portal.groups import ADMINISTRATORS, OFFICERS, PASSPORT_STAFF

pytestmark = pytest.mark.django_db


def staff(username, group):
    user = User.objects.create_user(username, password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def test_the_three_groups_exist_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {OFFICERS, PASSPORT_STAFF, ADMINISTRATORS}


def test_officers_read_posts_and_the_outbox_but_change_neither():
    officer = staff("officer", OFFICERS)
    assert officer.has_perm("consular_portal.view_post")
    assert officer.has_perm("consular_portal.view_outboundemail")
    assert not officer.has_perm("consular_portal.change_post")
    assert not officer.has_perm("auth.change_user")


def test_passport_staff_do_not_see_the_outbox():
    clerk = staff("clerk", PASSPORT_STAFF)
    assert not clerk.has_perm("consular_portal.view_outboundemail")


def test_administrators_edit_posts_and_accounts():
    admin = staff("chief", ADMINISTRATORS)
    assert admin.has_perm("consular_portal.change_post") and admin.has_perm("auth.add_user")


def test_outbox_is_listed_read_only_with_masked_addresses(client, settings):
    email = outbox.queue_email(to="taro.yamada@example.com", template="test_message", context={}, language="ja")
    client.force_login(staff("officer", OFFICERS))
    listing = client.get(f"/{settings.ADMIN_URL}consular_portal/outboundemail/")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "ta…@example.com" in body and "taro.yamada@example.com" not in body
    detail = client.get(f"/{settings.ADMIN_URL}consular_portal/outboundemail/{email.pk}/change/")
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert client.post(f"/{settings.ADMIN_URL}consular_portal/outboundemail/{email.pk}/delete/").status_code == 403


def test_officers_cannot_edit_a_post(client, settings, tokyo):
    client.force_login(staff("officer", OFFICERS))
    response = client.post(f"/{settings.ADMIN_URL}consular_portal/post/{tokyo.pk}/change/", {"name": "Changed"})
    assert response.status_code == 403
