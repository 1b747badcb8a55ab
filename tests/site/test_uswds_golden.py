"""The whole Shanghai expedite request form, pinned: its markup (compared as HTML, so whitespace and
attribute order aside) must not change when the USWDS pack changes how it renders.

The CSRF token, the random submission key and the database ids of the categories are replaced by fixed
values first. After an intended change of markup, write the new pages with
``UPDATE_GOLDEN=1 pytest tests/site/test_uswds_golden.py`` and read the diff.
"""

import os
import re
from pathlib import Path

import pytest
from django.test.html import parse_html
from django.utils import translation

from appointments.models import ExpediteCategory, ExpediteExclusion, ExpeditePolicy
from appointments.policy_data import seed_policies
from consular_portal.models import Post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_reset():
    """A page in Japanese leaves Japanese active in this thread: the next test starts from the default."""
    yield
    translation.deactivate()
GOLDEN = Path(__file__).parent / "golden"
FORM = "/en/appointments/shanghai/request/"


@pytest.fixture
def shanghai_policy(posts):
    seed_policies(Post, ExpeditePolicy, ExpediteCategory, ExpediteExclusion)
    return ExpeditePolicy.objects.get(post__slug="shanghai")


def main_content(response, policy):
    """The page's <main> with the per-request and per-database values replaced."""
    html = response.content.decode()
    html = html[html.index("<main"):html.index("</main>") + len("</main>")]
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="CSRF"', html)
    html = re.sub(r'name="submission_key" value="[^"]+"', 'name="submission_key" value="KEY"', html)
    for category in policy.categories.all():
        html = re.sub(rf'value="{category.pk}"(?=[ >])', f'value="category-{category.code}"', html)
    return html


def assert_golden(name, html):
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(html)
    expected = path.read_text()
    assert parse_html(html) == parse_html(expected), f"{name} changed; the page now reads:\n{html}"


def test_the_request_form_markup_is_unchanged(client, shanghai_policy):
    response = client.get(FORM)
    assert response.status_code == 200
    assert_golden("shanghai_request_form.html", main_content(response, shanghai_policy))


def test_the_request_form_sent_back_with_errors_is_unchanged(client, shanghai_policy):
    response = client.post(FORM, {
        "submission_key": "0b6c1e2a-3d4f-4a5b-8c7d-9e0f1a2b3c4d", "request_type": "single",
        "full_name": "Wang Wei", "email": "not-an-address", "date_of_birth": "soon",
        "members-TOTAL_FORMS": "5", "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0", "members-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 400
    assert_golden("shanghai_request_form_errors.html", main_content(response, shanghai_policy))


def test_the_request_form_sent_back_with_errors_of_group_members_is_unchanged(client, shanghai_policy):
    response = client.post(FORM, {
        "submission_key": "0b6c1e2a-3d4f-4a5b-8c7d-9e0f1a2b3c4d", "request_type": "group",
        "full_name": "Wang Wei", "members-TOTAL_FORMS": "3", "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0", "members-MAX_NUM_FORMS": "1000",
        "members-0-full_name": "Li Na", "members-0-ds160_number": "XX12",
        "members-2-date_of_birth": "1990-13-01", "members-2-previous_visas": "none",
    })
    assert response.status_code == 400
    assert_golden("shanghai_request_form_member_errors.html", main_content(response, shanghai_policy))
