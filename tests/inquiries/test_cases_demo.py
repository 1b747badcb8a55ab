"""The demo data (`manage.py load_demo`) has case statuses to look up and processing times to read."""

import pytest
from django.core.management import call_command

from inquiries.models import Case, ProcessingTime

pytestmark = pytest.mark.django_db


def test_the_demo_has_cases_with_their_history_and_processing_times_and_loads_once(client, posts, settings,
                                                                                   tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo")
    assert set(Case.objects.values_list("post__slug", flat=True)) >= {"tokyo", "shanghai"}
    approved = Case.objects.get(key="WAC2112345678")
    assert approved.status == Case.Status.APPROVED and approved.events.count() == 3
    assert ProcessingTime.objects.filter(post__slug="tokyo", service="I-130").exists()
    counts = Case.objects.count(), ProcessingTime.objects.count()
    call_command("load_demo")
    assert (Case.objects.count(), ProcessingTime.objects.count()) == counts

    html = client.get("/en/cases/status/", {"number": "IOE0912345678"}).content.decode()
    assert 'data-status="in_review"' in html and 'data-account="online"' in html
    assert 'id="case-processing-time"' in html
    assert 'data-service="B1/B2"' in client.get("/en/processing-times/").content.decode()
