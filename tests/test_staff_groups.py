"""Staff groups with least privilege, and the read-only outbox in the admin."""

import pytest
from django.contrib.auth.models import Group

from consular_portal import outbox
from consular_portal.groups import ADMINISTRATORS, OFFICERS, PASSPORT_STAFF
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def staff(username, group):
    return StaffFactory(username=username, group=group)


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


def test_outbox_is_listed_read_only_with_masked_addresses(client, settings, tokyo):
    email = outbox.queue_email(to="taro.yamada@example.com", template="test_message", context={}, language="ja",
                               post=tokyo)
    officer = staff("officer", OFFICERS)
    tokyo.staff.add(officer)
    client.force_login(officer)
    listing = client.get(f"/{settings.ADMIN_URL}consular_portal/outboundemail/")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "ta…@example.com" in body and "taro.yamada@example.com" not in body
    detail = client.get(f"/{settings.ADMIN_URL}consular_portal/outboundemail/{email.pk}/change/")
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert client.post(f"/{settings.ADMIN_URL}consular_portal/outboundemail/{email.pk}/delete/").status_code == 403


def test_officers_cannot_edit_a_post(client, settings, tokyo):
    officer = staff("officer", OFFICERS)
    tokyo.staff.add(officer)
    client.force_login(officer)
    response = client.post(f"/{settings.ADMIN_URL}consular_portal/post/{tokyo.pk}/change/", {"name": "Changed"})
    assert response.status_code == 403


def test_administrators_edit_a_post_in_the_admin(client, settings, tokyo):
    client.force_login(staff("chief", ADMINISTRATORS))
    url = f"/{settings.ADMIN_URL}consular_portal/post/{tokyo.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    for name in ("district_regions", "phone_numbers", "contact_hours", "languages", "services"):
        data[name] = form[name].value()
    data["staff"] = []
    data["contact_hours"] = '[{"days": [0, 1, 2, 3, 4], "opens": "09:00", "closes": "17:00"}]'
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    tokyo.refresh_from_db()
    assert tokyo.contact_hours == [{"days": [0, 1, 2, 3, 4], "opens": "09:00", "closes": "17:00"}]

    data["contact_hours"] = '[{"days": [9], "opens": "late", "closes": "early"}]'
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Each entry needs" in str(response.context["adminform"].form.errors["contact_hours"])


def test_repeated_failed_logins_lock_the_account_out(client, settings):
    staff("officer", OFFICERS)
    login = f"/{settings.ADMIN_URL}login/"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": "officer", "password": "wrong-password"}, REMOTE_ADDR="203.0.113.9")
    response = client.post(login, {"username": "officer", "password": "a-long-test-password"},
                           REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
