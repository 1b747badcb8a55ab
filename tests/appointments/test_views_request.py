"""The request form: submit, group, ineligible, duplicates, bad input."""

import datetime as dt
import html
import re
from html.parser import HTMLParser

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from appointments import forms, member_forms
from appointments.links import request_path
from appointments.models import ExpediteRequest, GroupMember, RequestEvent, SupportingDocument
from consular_portal.models import OutboundEmail
from tests.factories import ExpediteRequestFactory, local_today, pdf_upload
from tests.form_data import expedite_form_data, with_members

pytestmark = pytest.mark.django_db
SHANGHAI_FORM = "/en/appointments/shanghai/request/"
TOKYO_FORM = "/en/appointments/tokyo/request/"


def post_form(client, url, data, **files):
    return client.post(url, {**data, "proof": files.pop("proof", None) or pdf_upload(), **files})


def test_a_complete_request_is_stored_with_its_proof_and_both_emails(client, shanghai_policy):
    response = post_form(client, SHANGHAI_FORM, expedite_form_data(shanghai_policy))
    assert response.status_code == 302
    request = ExpediteRequest.objects.get()
    assert response["Location"].startswith("/en/appointments/requests/")
    assert request.status == "submitted" and request.post.slug == "shanghai"
    assert request.passport_number == "E12345678" and request.ds160_number == "AA00ABC123"
    assert request.appointment_number == "SH20240001" and request.language == "zh-hans"
    assert request.interview_at is not None and request.residence_region == "CN-JS"
    assert request.reference.startswith("EXP-")
    document = SupportingDocument.objects.get(request=request)
    assert document.pages == 1 and document.content_type == "application/pdf"
    assert "proof" not in document.file.name and document.file.name.endswith(".pdf")
    assert RequestEvent.objects.filter(request=request, to_status="submitted").count() == 1
    emails = OutboundEmail.objects.order_by("pk")
    assert [e.template for e in emails] == ["expedite_acknowledgement", "expedite_officer_notification"]
    assert emails[0].to == "li.wei@example.com" and emails[1].to == "officers-shanghai@consular-portal.example"
    # The confirmation page shows the reference.
    page = client.get(response["Location"])
    assert request.reference in page.content.decode()


def test_promised_answer_date_is_two_business_days_by_the_posts_calendar(client, shanghai_policy):
    from consular_portal.business_calendar import add_business_days

    post_form(client, SHANGHAI_FORM, expedite_form_data(shanghai_policy))
    request = ExpediteRequest.objects.get()
    assert request.promised_by == add_business_days(request.post, local_today(request.post), 2)


def test_a_group_request_with_three_members_is_stored_with_all_members(client, shanghai_policy):
    members = [
        {"full_name": f"Member {n}", "date_of_birth": f"199{n}-01-0{n}", "ds160_number": f"AA0000000{n}",
         "previous_visas": "B1/B2 issued in Shanghai, 2019" if n == 1 else "none"}
        for n in (1, 2, 3)
    ]
    data = with_members(expedite_form_data(
        shanghai_policy, request_type="group", organisation="Example Trading Co.", organiser_name="Zhang San",
        organiser_phone="+86 21 5555 0101", organiser_email="organiser@example.com",
    ), members)
    response = post_form(client, SHANGHAI_FORM, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    request = ExpediteRequest.objects.get()
    assert request.is_group and request.organiser_email == "organiser@example.com"
    stored = list(GroupMember.objects.filter(request=request).order_by("order"))
    assert [m.full_name for m in stored] == ["Member 1", "Member 2", "Member 3"]
    assert [m.ds160_number for m in stored] == ["AA00000001", "AA00000002", "AA00000003"]
    assert stored[0].previous_visas == "B1/B2 issued in Shanghai, 2019"
    assert stored[2].date_of_birth == dt.date(1993, 1, 3)
    # Acknowledgement to the applicant and to the organiser.
    assert set(OutboundEmail.objects.filter(template="expedite_acknowledgement").values_list("to", flat=True)) == {
        "li.wei@example.com", "organiser@example.com"}


def test_a_group_request_needs_members_and_the_organisers_contact(client, shanghai_policy):
    response = post_form(client, SHANGHAI_FORM, expedite_form_data(shanghai_policy, request_type="group"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Needed for a group request." in body and "A group request needs the other members" in body
    assert not ExpediteRequest.objects.exists()


def test_an_ineligible_request_is_told_why_and_not_queued(client, shanghai_policy):
    data = expedite_form_data(shanghai_policy, residence_region="CN-GD")
    response = post_form(client, SHANGHAI_FORM, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "only considers requests from residents of its consular district" in body
    assert "Contact U.S. Consulate General Guangzhou, which serves Guangdong." in body
    assert not ExpediteRequest.objects.exists() and not OutboundEmail.objects.exists()


def test_fields_the_policy_does_not_need_are_not_asked(client, tokyo_policy, shanghai_policy):
    tokyo = client.get(TOKYO_FORM).content.decode()
    shanghai = client.get(SHANGHAI_FORM).content.decode()
    for name in ("residence_region", "renewal_eligible", "previous_expedite_declared", "resided_in_district"):
        assert f'name="{name}"' not in tokyo
        assert f'name="{name}"' in shanghai
    assert 'name="us_company_request"' in tokyo and 'name="us_company_request"' not in shanghai
    # Shanghai needs the current appointment; Tokyo does not.
    response = post_form(client, TOKYO_FORM, expedite_form_data(tokyo_policy))
    assert response.status_code == 302
    response = post_form(client, SHANGHAI_FORM, expedite_form_data(shanghai_policy, appointment_number=""))
    assert response.status_code == 400


def test_a_second_open_request_for_the_same_passport_and_appointment_is_refused(client, shanghai_policy):
    assert post_form(client, SHANGHAI_FORM, expedite_form_data(shanghai_policy)).status_code == 302
    again = post_form(client, SHANGHAI_FORM, expedite_form_data(shanghai_policy, passport_number="E12345678"))
    assert again.status_code == 400
    assert "already an open request for this passport and appointment number" in again.content.decode()
    assert ExpediteRequest.objects.count() == 1


def test_a_double_submitted_form_creates_one_request(client, shanghai_policy):
    data = expedite_form_data(shanghai_policy)
    first = post_form(client, SHANGHAI_FORM, data)
    second = post_form(client, SHANGHAI_FORM, data)
    assert ExpediteRequest.objects.count() == 1
    assert second.status_code == 302
    # Both lead to the one request's page (the signed links may differ by the second they were made in).
    reference = ExpediteRequest.objects.get().reference
    for response in (first, second):
        assert reference in client.get(response["Location"]).content.decode()
    assert OutboundEmail.objects.count() == 2


BAD_INPUT = [
    ("passport_number", "12", "5 to 15 letters and digits"),
    ("ds160_number", "BB12345678", "starts with AA"),
    ("ds160_number", "AA123", "starts with AA"),
    ("email", "not-an-email", "Enter your email address like name@example.com."),
    ("phone", "call me", "valid phone number"),
    ("travel_date", "2001-01-01", "cannot be in the past"),
    ("travel_date", "31/12/2030", "Enter intended travel date as a date, like 2027-01-31."),
    ("interview_date", "2001-01-01", "cannot be in the past"),
    ("date_of_birth", "2999-01-01", "real date of birth"),
    ("justification", "x" * 100_000, "at most 4000 characters"),
    ("full_name", "y" * 100_000, "at most 200 characters"),
    ("visa_class", "Z9", "Choose visa class from the list."),
    ("category", "999999", "Choose an answer: Why do you need an earlier interview?"),
    ("full_name", None, "Enter your full name."),
    ("justification", None, "Explain why you need an earlier interview."),
    ("previous_visa", "refused", "when, where and which class"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_INPUT, ids=[f"{f}:{m}" for f, _v, m in BAD_INPUT])
def test_bad_input_gives_field_errors_and_loses_nothing_saved(client, shanghai_policy, field, value, message):
    assert post_form(client, SHANGHAI_FORM, expedite_form_data(shanghai_policy)).status_code == 302
    saved = ExpediteRequest.objects.get()
    data = expedite_form_data(shanghai_policy, **{"passport_number": "G99887766", field: value})
    response = post_form(client, SHANGHAI_FORM, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="error-summary"' in body and message in body
    assert ExpediteRequest.objects.count() == 1
    assert ExpediteRequest.objects.get().updated_at == saved.updated_at
    assert saved.documents.count() == 1


def test_a_form_without_proof_and_with_garbage_everywhere_is_a_400(client, shanghai_policy):
    response = client.post(SHANGHAI_FORM, {"members-TOTAL_FORMS": "x", "submission_key": "not-a-uuid"})
    assert response.status_code == 400
    assert not ExpediteRequest.objects.exists()


def test_the_form_keeps_what_was_typed_when_it_has_errors(client, shanghai_policy):
    data = expedite_form_data(shanghai_policy, email="bad")
    response = post_form(client, SHANGHAI_FORM, data)
    body = response.content.decode()
    assert 'value="Li Wei"' in body and "My classes at the University of Example" in body
    assert "We kept the proof you already sent" in body and "proof.pdf" in body  # kept: test_proof_drafts.py


def test_a_post_without_expedite_service_has_no_form(client, policies):
    assert client.get("/en/appointments/beijing/request/").status_code == 404
    assert client.get("/en/appointments/beijing/").status_code == 404
    assert client.get("/en/appointments/nowhere/").status_code == 404


def test_image_proof_is_accepted(client, shanghai_policy):
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
           b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")
    response = post_form(client, SHANGHAI_FORM, expedite_form_data(shanghai_policy),
                         proof=SimpleUploadedFile("letter.png", png, content_type="image/png"))
    assert response.status_code == 302
    assert SupportingDocument.objects.get().content_type == "image/png"


def test_the_hint_names_the_serving_post_in_japanese(client, shanghai_policy):
    data = expedite_form_data(shanghai_policy, residence_region="CN-GD")
    response = post_form(client, "/ja/appointments/shanghai/request/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "広東省を管轄する在広州米国総領事館にお問い合わせください。" in body
    assert "Guangzhou" not in body


@pytest.mark.parametrize(("language", "name"), [("ja", "在上海米国総領事館"), ("zh-hans", "美国驻上海总领事馆")])
def test_the_applicant_pages_name_the_post_in_the_pages_language(client, shanghai_policy, language, name):
    for path in ("", "request/"):
        body = client.get(f"/{language}/appointments/shanghai/{path}").content.decode()
        assert name in body.split("<h1", 1)[1].split("</h1>", 1)[0], path
    request = ExpediteRequestFactory(post=shanghai_policy.post, residence_region="CN-SH")
    with translation.override(language):
        detail = client.get(request_path(request)).content.decode()
    assert name in detail.split('id="summary"', 1)[1].split("</dl>", 1)[0]


class FormValues(HTMLParser):
    """What a browser would send back from the page's form: name → values (files and the CSRF token aside)."""

    def __init__(self):
        super().__init__()
        self.values, self._select, self._textarea, self._option = {}, None, None, None

    def _add(self, name, value):
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("file", "submit"):
            if attrs.get("type") in ("radio", "checkbox"):
                if "checked" in attrs:
                    self._add(name, attrs.get("value", "on"))
            elif name != "csrfmiddlewaretoken":
                self._add(name, attrs.get("value", ""))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            value = self.values[self._textarea][-1]
            self.values[self._textarea][-1] = value[1:] if value.startswith("\n") else value  # as browsers do
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data


def form_values(response):
    parser = FormValues()
    parser.feed(response.content.decode())
    return {name: [html.unescape(v) for v in values] for name, values in parser.values.items()}


def sent(data):
    return {name: value if isinstance(value, list) else [str(value)] for name, value in data.items()}


def test_after_an_error_every_typed_value_is_still_in_the_form_members_included(client, shanghai_policy):
    members = [
        {"full_name": "Zhang Si", "date_of_birth": "1991-02-03", "ds160_number": "AA1",  # the mistake
         "previous_visas": "B1/B2 issued in Shanghai, 2019 & \"J-1\" <2015>"},
        {"full_name": "Zhang Wu", "date_of_birth": "1993-04-05", "ds160_number": "aa 0000 0002",
         "previous_visas": "none"},
    ]
    data = with_members(expedite_form_data(
        shanghai_policy, request_type="group", organisation="Example Trading Co.", organiser_name="Zhang San",
        organiser_phone="+86 21 5555 0101", organiser_email="organiser@example.com", previous_visa="issued",
        previous_visa_date="2019-05-06", previous_visa_place="Shanghai", previous_visa_class="B1/B2",
        previous_visas_notes="F-1, Guangzhou, 2015\nB1/B2, Shanghai, 2019",
        justification="Line one\nLine <two> & \"three\"", passport_number="e 1234 5678",
    ), members)
    response = post_form(client, SHANGHAI_FORM, data)
    assert response.status_code == 400
    assert "A DS-160 confirmation number has 10 characters" in response.content.decode()
    kept = form_values(response)
    for name, values in sent(data).items():
        assert sorted(kept.get(name, [])) == sorted(values), name
    # The file is kept too (on the server, tests/appointments/test_proof_drafts.py), and listed by its name.
    assert "We kept the proof you already sent" in response.content.decode()


def test_after_an_error_ticked_boxes_and_choices_of_the_tokyo_form_are_kept(client, tokyo_policy):
    statements = [str(c.pk) for c in tokyo_policy.categories.exclude(confirmation="")[:2]]
    data = expedite_form_data(tokyo_policy, excluded_purposes=["esta-denial", "tourism"], statements=statements,
                           us_company_request="on", email="not-an-email", language="zh-hans")
    response = post_form(client, TOKYO_FORM, data)
    assert response.status_code == 400
    kept = form_values(response)
    for name, values in sent(data).items():
        assert sorted(kept.get(name, [])) == sorted(values), name


def test_more_member_rows_keeps_everything_typed_and_checks_nothing_yet(client, shanghai_policy):
    members = [{"full_name": f"Member {n}", "date_of_birth": f"199{n}-01-0{n}", "ds160_number": f"AA0000000{n}",
                "previous_visas": "none"} for n in (1, 2, 3, 4, 5)]
    data = with_members(expedite_form_data(shanghai_policy, request_type="group", organiser_name="Zhang San",
                                           email="not-yet-an-email"), members)
    response = post_form(client, SHANGHAI_FORM, {**data, "more_members": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="error-summary"' not in body and "usa-error-message" not in body  # not sent yet: no errors
    kept = form_values(response)
    assert kept["members-TOTAL_FORMS"] == ["15"] and "members-14-full_name" in kept
    for name, values in sent(data).items():
        if name != "members-TOTAL_FORMS":
            assert sorted(kept.get(name, [])) == sorted(values), name
    assert not ExpediteRequest.objects.exists() and not OutboundEmail.objects.exists()
    # Then the group is sent with the rows as they came back.
    data = {name: values if len(values) > 1 else values[0] for name, values in kept.items()}
    response = post_form(client, SHANGHAI_FORM, {**data, "email": "li.wei@example.com",
                                                 "organiser_phone": "+86 21 5555 0101",
                                                 "organiser_email": "organiser@example.com"})
    assert response.status_code == 302
    assert ExpediteRequest.objects.get().members.count() == 5


def test_member_rows_stop_at_the_maximum(client, shanghai_policy):
    data = expedite_form_data(shanghai_policy, **{"members-TOTAL_FORMS": "35", "more_members": "1"})
    body = post_form(client, SHANGHAI_FORM, data).content.decode()
    assert form_values_of(body)["members-TOTAL_FORMS"] == ["40"] and 'name="more_members"' not in body
    garbage = post_form(client, SHANGHAI_FORM, {**data, "members-TOTAL_FORMS": "lots"})
    assert garbage.status_code == 200 and form_values_of(garbage.content.decode())["members-TOTAL_FORMS"] == ["15"]


def form_values_of(body):
    parser = FormValues()
    parser.feed(body)
    return parser.values


def test_requests_over_the_limit_come_back_with_everything_typed(client, shanghai_policy, settings):
    settings.SUBMISSION_RATE_LIMIT = "1/h"
    assert post_form(client, SHANGHAI_FORM, expedite_form_data(shanghai_policy)).status_code == 302
    second = post_form(client, SHANGHAI_FORM, expedite_form_data(
        shanghai_policy, passport_number="E87654321", appointment_number="SH-20240002", full_name="Zhang San"))
    assert second.status_code == 429
    page = second.content.decode()
    assert "Please wait an hour and send it again" in page and "Zhang San" in page
    assert ExpediteRequest.objects.count() == 1


def test_control_characters_are_refused_in_the_request_and_its_members(client, shanghai_policy):
    data = with_members(
        expedite_form_data(shanghai_policy, justification="Urgent\x07 trip\x1b[31m", request_type="group",
                           organisation="Example Co.", organiser_name="Zhou Min", organiser_phone="+86 21 3881 4611",
                           organiser_email="zhou@example.com"),
        [{"full_name": "Wang\x1bWu", "date_of_birth": "1990-01-01", "ds160_number": "AA00ABC124"}],
    )
    response = post_form(client, SHANGHAI_FORM, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("Remove the invisible control characters from this text.") >= 2
    assert ExpediteRequest.objects.count() == 0


def test_invalid_requests_without_end_are_refused_with_everything_typed(client, shanghai_policy, settings):
    settings.INVALID_SUBMISSION_RATE_LIMIT = "2/h"
    for _ in range(2):
        invalid = expedite_form_data(shanghai_policy, ds160_number="x")
        assert post_form(client, SHANGHAI_FORM, invalid).status_code == 400
    third = post_form(client, SHANGHAI_FORM, expedite_form_data(shanghai_policy, full_name="Zhang San"))
    assert third.status_code == 429
    page = third.content.decode()
    assert "Please wait an hour and send it again" in page and "Zhang San" in page
    assert ExpediteRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("passport_number", "appointment_number"),
    [
        ("E12345678", "SH-2024\u200b0001"),  # a zero-width space
        ("E12345678", "ＳＨ－２０２４０００１"),  # full-width letters, digits and hyphen
        ("E1234\u200d5678", "SH-20240001"),  # a zero-width joiner
        ("Ｅ１２３４５６７８", "\u2060SH-20240001\ufeff"),  # word joiner, byte order mark
        ("e 1234\u3000 5678", "sh 2024 0001"),  # an ideographic space
    ],
)
def test_a_second_open_request_is_refused_whatever_invisible_or_full_width_characters_it_holds(
        client, shanghai_policy, passport_number, appointment_number):
    assert post_form(client, SHANGHAI_FORM, expedite_form_data(shanghai_policy)).status_code == 302
    again = post_form(client, SHANGHAI_FORM, expedite_form_data(
        shanghai_policy, passport_number=passport_number, appointment_number=appointment_number))
    assert again.status_code == 400
    assert "already an open request for this passport and appointment number" in again.content.decode()
    assert ExpediteRequest.objects.count() == 1


def test_identifiers_are_stored_normalised(client, shanghai_policy):
    data = with_members(
        expedite_form_data(shanghai_policy, passport_number="Ｅ１２３４\u200b５６７８",
                           appointment_number="ＳＨ-2024\u200b0777", ds160_number="ａａ00ABC\u200b123",
                           request_type="group", organisation="  Example\u200b Trading\u3000Co. ",
                           organiser_name="Zhou Min", organiser_phone="+86 21 3881 4611",
                           organiser_email="zhou@example.com"),
        [{"full_name": "Wang Wu", "date_of_birth": "1990-01-01", "ds160_number": "AA00ABC\u200b124"}],
    )
    assert post_form(client, SHANGHAI_FORM, data).status_code == 302
    request = ExpediteRequest.objects.get()
    assert (request.passport_number, request.appointment_number, request.ds160_number, request.organisation) == (
        "E12345678", "SH20240777", "AA00ABC123", "Example Trading Co.")
    assert GroupMember.objects.get().ds160_number == "AA00ABC124"


def test_an_earlier_expedite_of_the_same_organisation_counts_whatever_its_name_is_typed_with(
        client, shanghai_policy):
    earlier = ExpediteRequestFactory(post=shanghai_policy.post, number=9, organisation="Example Trading Co.",
                           residence_region="CN-SH")
    ExpediteRequest.objects.filter(pk=earlier.pk).update(status="approved")
    data = with_members(
        expedite_form_data(shanghai_policy, request_type="group", organisation="ＥＸＡＭＰＬＥ\u200b  trading co.",
                           organiser_name="Zhou Min", organiser_phone="+86 21 3881 4611",
                           organiser_email="zhou@example.com"),
        [{"full_name": "Wang Wu", "date_of_birth": "1990-01-01", "ds160_number": "AA00ABC124"}],
    )
    assert post_form(client, SHANGHAI_FORM, data).status_code == 302
    current = ExpediteRequest.objects.exclude(pk=earlier.pk).get()
    assert current.previous_expedite_flag
    from appointments.submission import earlier_expedite_reasons
    assert "same organisation" in [str(reason) for reason in earlier_expedite_reasons(current, earlier)]


def test_officers_find_a_passport_number_typed_in_full_width(shanghai_policy):
    from appointments.search import requests_search

    found = ExpediteRequestFactory(post=shanghai_policy.post, number=3, residence_region="CN-SH")
    assert list(requests_search(ExpediteRequest.objects.all(), "Ｐ０００００００３")) == [found]


def _sent_back(client, data):
    """The <main> of the page a form sent back with errors comes back as, without its CSRF token."""
    body = client.post(SHANGHAI_FORM, {
        "submission_key": "0b6c1e2a-3d4f-4a5b-8c7d-9e0f1a2b3c4d", "members-TOTAL_FORMS": "5",
        "members-INITIAL_FORMS": "0", "members-MIN_NUM_FORMS": "0", "members-MAX_NUM_FORMS": "1000", **data,
    }).content.decode()
    body = body[body.index("<main"):body.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def test_a_form_sent_back_shows_only_its_own_values_and_messages_however_often_the_form_was_sent_back(
        client, shanghai_policy):
    first = {"request_type": "single", "full_name": "Wang Wei", "email": "not-an-address",
             "members-1-full_name": "Li Na"}
    second = {"request_type": "group", "justification": "Zhou & <Mei>", "date_of_birth": "soon",
              "members-0-previous_visas": "   ", "members-3-ds160_number": "XX12"}
    before = _sent_back(client, first)
    assert "Wang Wei" in before and "not-an-address" in before and "Li Na" in before
    page = _sent_back(client, second)
    for typed in ("Wang Wei", "not-an-address", "Li Na"):
        assert typed not in page
    assert "Zhou &amp; &lt;Mei&gt;" in page and 'value="soon"' in page and 'value="   "' in page
    assert "Enter date of birth as a date, like 2027-01-31." in page
    assert "A DS-160 confirmation number has 10 characters" in page
    assert "Needed for a group request." in page
    # The same page as the form writes with nothing kept yet.
    forms._DEFINITIONS.clear()
    member_forms._KEPT_MARKUP.clear()
    caches["layout"].clear()
    assert _sent_back(client, second) == page
