"""Fixtures of the expedite tests: seeded policies, staff personas, valid form data, PDFs."""

import datetime as dt
import io
import uuid

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from appointments.models import ExpediteCategory, ExpediteExclusion, ExpeditePolicy
from appointments.permissions import GRANTS
from appointments.policy_data import seed_policies
from consular_portal.groups import ADMINISTRATORS, OFFICERS, PASSPORT_STAFF
from consular_portal.models import Post

PASSWORD = "correct-horse-battery-staple-42"


def pdf_bytes(pages=1):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(pages=1, name="proof.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(pages), content_type="application/pdf")


def local_today(post):
    return post.local_today()


@pytest.fixture
def policies(posts):
    seed_policies(Post, ExpeditePolicy, ExpediteCategory, ExpediteExclusion)
    return {p.post.slug: p for p in ExpeditePolicy.objects.select_related("post")}


@pytest.fixture
def tokyo_policy(policies):
    return policies["tokyo"]


@pytest.fixture
def shanghai_policy(policies):
    return policies["shanghai"]


def _group(name, names):
    group, _created = Group.objects.get_or_create(name=name)
    for permission_name in names:
        app_label, codename = permission_name.split(".")
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return group


@pytest.fixture
def staff_groups(db):
    return {
        OFFICERS: _group(OFFICERS, GRANTS[OFFICERS]),
        ADMINISTRATORS: _group(ADMINISTRATORS, GRANTS[ADMINISTRATORS]),
        PASSPORT_STAFF: _group(PASSPORT_STAFF, ["consular_portal.view_post"]),
    }


def _staff(django_user_model, username, group, posts=()):
    user = django_user_model.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.com", is_staff=True
    )
    user.groups.add(group)
    for post in posts:
        post.staff.add(user)
    return user


@pytest.fixture
def officer_tokyo(django_user_model, staff_groups, tokyo):
    return _staff(django_user_model, "officer-tokyo", staff_groups[OFFICERS], [tokyo])


@pytest.fixture
def officer_shanghai(django_user_model, staff_groups, shanghai):
    return _staff(django_user_model, "officer-shanghai", staff_groups[OFFICERS], [shanghai])


@pytest.fixture
def passport_staff(django_user_model, staff_groups, tokyo, shanghai):
    return _staff(django_user_model, "passport-staff", staff_groups[PASSPORT_STAFF], [tokyo, shanghai])


def shanghai_form_data(policy, **overrides):
    """A complete, eligible Shanghai request (a student whose classes start before the interview)."""
    today = local_today(policy.post)
    students = policy.categories.get(code="students")
    data = {
        "submission_key": str(uuid.uuid4()),
        "request_type": "single",
        "category": str(students.pk),
        "travel_date": (today + dt.timedelta(days=20)).isoformat(),
        "program_start_date": (today + dt.timedelta(days=25)).isoformat(),
        "justification": "My classes at the University of Example start before my interview date.",
        "full_name": "Li Wei",
        "date_of_birth": "2002-04-05",
        "passport_number": "e 1234 5678",
        "visa_class": "F1",
        "ds160_number": "aa00abc123",
        "phone": "+86 21 3881 4611",
        "email": "li.wei@example.com",
        "interview_date": (today + dt.timedelta(days=60)).isoformat(),
        "interview_time": "09:30",
        "appointment_number": "SH-20240001",
        "previous_visa": "none",
        "residence_region": "CN-JS",
        "residence_places": "Nanjing, since 2020",
        "work_places": "Nanjing University, since 2020",
        "resided_in_district": "on",
        "renewal_eligible": "no",
        "previous_expedite_declared": "no",
        "language": "zh-hans",
        **_empty_members(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def tokyo_form_data(policy, **overrides):
    """A complete, eligible Tokyo request (a C-1/D crew member travelling in 10 days)."""
    today = local_today(policy.post)
    crew = policy.categories.get(code="crew-c1d")
    data = {
        "submission_key": str(uuid.uuid4()),
        "request_type": "single",
        "category": str(crew.pk),
        "travel_date": (today + dt.timedelta(days=10)).isoformat(),
        "justification": "I join my ship in Long Beach in ten days.",
        "full_name": "Sato Hanako",
        "date_of_birth": "1990-01-02",
        "passport_number": "TK1234567",
        "visa_class": "C1/D",
        "ds160_number": "AA11223344",
        "phone": "+81 3 1234 5678",
        "email": "hanako@example.com",
        "previous_visa": "none",
        "language": "ja",
        **_empty_members(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _empty_members(count=5):
    return {"members-TOTAL_FORMS": str(count), "members-INITIAL_FORMS": "0", "members-MIN_NUM_FORMS": "0",
            "members-MAX_NUM_FORMS": "40"}


def with_members(data, members):
    data = dict(data)
    data["members-TOTAL_FORMS"] = str(max(len(members), 5))
    for index, member in enumerate(members):
        for key, value in member.items():
            data[f"members-{index}-{key}"] = value
    return data


def make_request(post, *, number=1, category_code=None, language="en", travel_in_days=10, **overrides):
    """A request submitted through the same function the form calls (with one 1-page PDF of proof)."""
    from appointments.submission import request_submit
    from appointments.uploads import upload_check

    policy = post.expedite_policy
    category = policy.categories.get(code=category_code) if category_code else policy.categories.first()
    fields = {
        "submission_key": uuid.uuid4(),
        "category": category,
        "full_name": f"Applicant {number}",
        "date_of_birth": dt.date(1990, 1, 1),
        "passport_number": f"P{number:08d}",
        "visa_class": "B1/B2",
        "ds160_number": f"AA{number:08d}",
        "justification": "Urgent.",
        "phone": "+81 3 1234 5678",
        "email": f"applicant{number}@example.com",
        "travel_date": local_today(post) + dt.timedelta(days=travel_in_days),
        "appointment_number": f"A{number}",
        **overrides,
    }
    return request_submit(post=post, fields=fields, documents=[upload_check(upload=pdf_upload())],
                          language=language, site_url="http://testserver")


def make_slot(post, *, capacity=5, in_days=3, hour=9):
    from appointments.models import AppointmentSlot

    day = local_today(post) + dt.timedelta(days=in_days)
    return AppointmentSlot.objects.create(
        post=post, starts_at=dt.datetime.combine(day, dt.time(hour), tzinfo=post.tz), capacity=capacity
    )
