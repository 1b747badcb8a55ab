"""`manage.py load_demo`: staff of each group, slots and two requests to decide; idempotent; never in production."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from appointments.models import AppointmentSlot, ExpediteRequest
from consular_portal.groups import ADMINISTRATORS, OFFICERS, PASSPORT_STAFF

pytestmark = pytest.mark.django_db


def counts():
    return User.objects.count(), AppointmentSlot.objects.count(), ExpediteRequest.objects.count()


def test_demo_data_has_one_user_of_each_group_and_work_to_decide(capsys, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo")
    output = capsys.readouterr().out
    for group in (OFFICERS, PASSPORT_STAFF, ADMINISTRATORS):
        assert User.objects.filter(groups__name=group).exists()
        assert group in output
    officer = User.objects.get(username="officer")
    assert officer.check_password("officer-demo-pass") and "officer-demo-pass" in output
    assert set(ExpediteRequest.objects.values_list("post__slug", flat=True)) == {"tokyo", "shanghai"}
    assert AppointmentSlot.objects.filter(post__slug="shanghai").exists()

    before = counts()
    call_command("load_demo")
    assert counts() == before


def test_demo_data_is_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="development only"):
        call_command("load_demo")
    assert not User.objects.filter(username="officer").exists()
