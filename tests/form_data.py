"""Valid data for each public form, as a browser posts it: one builder per form, used by every test.

Each returns a new dict the form accepts; keyword overrides replace fields (``None`` removes one).
"""

import datetime as dt
import uuid

from .factories import local_today


def _apply(data, overrides):
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def empty_members(count=5):
    """The management fields of the member formset with ``count`` empty rows."""
    return {"members-TOTAL_FORMS": str(count), "members-INITIAL_FORMS": "0", "members-MIN_NUM_FORMS": "0",
            "members-MAX_NUM_FORMS": "40"}


def with_members(data, members):
    """``data`` with the member rows ``members`` (dicts of a row's fields) filled in."""
    data = dict(data)
    data["members-TOTAL_FORMS"] = str(max(len(members), 5))
    for index, member in enumerate(members):
        for key, value in member.items():
            data[f"members-{index}-{key}"] = value
    return data


def _shanghai(policy):
    """A complete, eligible Shanghai request (a student whose classes start before the interview)."""
    today = local_today(policy.post)
    students = policy.categories.get(code="students")
    return {
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
    }


def _tokyo(policy):
    """A complete, eligible request at a post of the Tokyo policy (a C-1/D crew member travelling in 10 days)."""
    today = local_today(policy.post)
    crew = policy.categories.get(code="crew-c1d")
    return {
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
    }


def expedite_form_data(policy, **overrides):
    """A complete, eligible expedite request for ``policy``'s post (without the proof file, which is sent
    as ``proof``): Shanghai's form for Shanghai, the Tokyo policy's form for every other post."""
    data = _shanghai(policy) if policy.post.slug == "shanghai" else _tokyo(policy)
    return _apply({"submission_key": str(uuid.uuid4()), **data, **empty_members()}, overrides)


def survey_form_data(**overrides):
    """A complete answer to the satisfaction survey."""
    return _apply({"rating": "4", "service": "passport_tracking", "post": "osaka-kobe",
                   "comments": "Quick and clear."}, overrides)


def fraud_form_data(**overrides):
    """A fraud report with what a reporter usually gives (no name or address: those are optional)."""
    incident = dt.date.today() - dt.timedelta(days=3)
    return _apply({"post": "tokyo", "kind": "mrv_fee",
                   "description": "A caller asked for ¥30,000 to speed up my MRV fee payment.",
                   "incident_date": incident.isoformat(), "fraudster_contact": "+81 90 0000 0000"}, overrides)


def in_person_form_data(post, **overrides):
    """An in-person appointment request: emergency travel document, the coming two weeks."""
    today = local_today(post)
    return _apply({
        "reason": "emergency_travel", "details": "My passport was stolen; I fly home for a funeral.",
        "urgency": "urgent", "preferred_from": (today + dt.timedelta(days=1)).isoformat(),
        "preferred_until": (today + dt.timedelta(days=14)).isoformat(), "full_name": "Taro Yamada",
        "email": "taro.yamada@example.com", "phone": "+81 3 1234 5678", "language": "en",
    }, overrides)


def assistance_form_data(**overrides):
    """A live-assistance request: a notice that did not arrive, with a phone number, replies in English."""
    return _apply({
        "topic": "document", "details": "My approval notice never arrived; receipt EAC2190012345.",
        "full_name": "Taro Yamada", "email": "taro.yamada@example.com", "phone": "+81 3 1234 5678", "language": "en",
    }, overrides)
