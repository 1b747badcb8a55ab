"""What the public can reach and send, for the hostile-input and fuzz tests: every public route, every field of
every public form, valid data for each, and bodies built from raw bytes (so NUL, broken UTF-8 and lone
surrogates arrive exactly as a script would send them, not cleaned up by the test client)."""

import uuid
from urllib.parse import quote, quote_from_bytes

from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils import translation

from appointments.forms import ExpediteRequestForm
from appointments.in_person_forms import InPersonRequestForm
from appointments.member_forms import member_formset
from appointments.models import (
    ExpeditePolicy,
    ExpediteRequest,
    GroupMember,
    InPersonRequest,
    InPersonRequestEvent,
    SupportingDocument,
)
from consular_portal.forms import FraudReportForm, SurveyForm
from consular_portal.models import FraudReport, OutboundEmail, Post, SurveyResponse
from inquiries.assistance import takes_live_assistance
from inquiries.assistance_forms import LiveAssistanceForm
from inquiries.inquiry_forms import InquiryForm
from inquiries.models import (
    CaseEvent,
    CaseSubscription,
    Inquiry,
    InquiryEvent,
    LiveAssistanceRequest,
    LiveAssistanceRequestEvent,
)
from passports.models import PassportSubscription, TrackingEvent
from tests.factories import pdf_bytes
from tests.form_data import (
    assistance_form_data,
    expedite_form_data,
    fraud_form_data,
    in_person_form_data,
    survey_form_data,
    with_members,
)
from tests.inquiries.inquiry_data import inquiry_form_data

LANGUAGES = [code for code, _name in settings.LANGUAGES]
ROW_MODELS = [ExpediteRequest, GroupMember, SupportingDocument, SurveyResponse, FraudReport, OutboundEmail,
              PassportSubscription, TrackingEvent, CaseSubscription, CaseEvent, InPersonRequest, InPersonRequestEvent,
              LiveAssistanceRequest, LiveAssistanceRequestEvent, Inquiry, InquiryEvent]
BOUNDARY = "----portal-test-boundary-7MA4YWxkTrZu0gW"
PDF = pdf_bytes()


class QuickClient(Client):
    """The test client without its record of every template rendered (a copy of each context: the long
    request form renders hundreds of templates). A view's exception still comes back as the 500 page."""

    def request(self, **request):
        return self.handler(self._base_environ(**request))


UNLIMITED = {"SUBMISSION_RATE_LIMIT": "1000000/h", "INVALID_SUBMISSION_RATE_LIMIT": "1000000/h",
             "PASSPORT_LOOKUP_RATE_LIMIT": "1000000/h", "CASE_STATUS_LOOKUP_RATE_LIMIT": "1000000/h"}


# Routes ------------------------------------------------------------------------------------------------


def public_routes():
    """Every route the resolver knows but the admin's, as written in urls.py ("en/appointments/<slug:post>/")."""

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route

    with translation.override("en"):
        return sorted(r for r in walk(get_resolver().url_patterns, "") if not r.startswith(settings.ADMIN_URL))


# Forms -------------------------------------------------------------------------------------------------


def expedite_slugs():
    return sorted(ExpeditePolicy.objects.values_list("post__slug", flat=True))


IN_PERSON = "in-person/"  # the in-person request form of a post is named "in-person/<slug>"


def in_person_forms():
    """The in-person appointment request forms: one for each post that books appointments."""
    return [IN_PERSON + post.slug for post in Post.objects.order_by("slug") if post.offers(Post.Service.EXPEDITE)]


def _in_person_post(form_name):
    return Post.objects.get(slug=form_name.removeprefix(IN_PERSON))


ASSISTANCE = "assistance/"  # the live-assistance request form of a post is named "assistance/<slug>"


def assistance_forms():
    """The live-assistance request forms: one for each post that takes them."""
    return [ASSISTANCE + post.slug for post in Post.objects.order_by("slug") if takes_live_assistance(post)]


INQUIRY = "inquiry"  # the status inquiry form (its post is one of its fields)


def field_names(form_name, member_rows=2):
    """The names a browser posts for the form: its fields (and, for the request form, the member formset's
    management fields, the fields of its first rows and the button for more rows)."""
    if form_name.startswith(IN_PERSON):
        return list(InPersonRequestForm(post=_in_person_post(form_name)).fields)
    if form_name.startswith(ASSISTANCE):
        return list(LiveAssistanceForm().fields)
    if form_name == INQUIRY:
        return list(InquiryForm(policies={}).fields)
    if form_name == "feedback":
        return list(SurveyForm().fields)
    if form_name == "fraud":
        return list(FraudReportForm().fields)
    policy = ExpeditePolicy.objects.select_related("post").get(post__slug=form_name)
    names = list(ExpediteRequestForm(policy=policy).fields)
    members = member_formset(post=policy.post)
    names += [members.management_form.add_prefix(name) for name in members.management_form.fields]
    for row in members.forms[:member_rows]:
        names += [row.add_prefix(name) for name in row.fields]
    return [*names, "more_members"]  # the button that asks for more member rows


def form_url(form_name, language="en"):
    if form_name in ("feedback", "fraud"):
        return f"/{language}/{form_name}/"
    if form_name.startswith(IN_PERSON):
        return f"/{language}/appointments/{form_name.removeprefix(IN_PERSON)}/in-person/"
    if form_name.startswith(ASSISTANCE):
        return f"/{language}/assistance/{form_name.removeprefix(ASSISTANCE)}/"
    if form_name == INQUIRY:
        return f"/{language}/inquiries/ask/"
    return f"/{language}/appointments/{form_name}/request/"


def valid_data(form_name, number=0):
    """A complete submission the form accepts; ``number`` makes each expedite request a different person, so
    one accepted earlier is no duplicate of the next."""
    if form_name == "feedback":
        return survey_form_data()
    if form_name == "fraud":
        return fraud_form_data(reporter_name="Sato Taro", reporter_email="taro@example.com")
    if form_name.startswith(IN_PERSON):
        return in_person_form_data(_in_person_post(form_name), email=f"applicant{number}@example.com")
    if form_name.startswith(ASSISTANCE):
        return assistance_form_data(email=f"applicant{number}@example.com")
    if form_name == INQUIRY:  # each a different case, so none is a follow-up of the one before
        return inquiry_form_data(Post.objects.get(slug="tokyo"), case_number=f"AA{number:08d}")
    policy = ExpeditePolicy.objects.select_related("post").get(post__slug=form_name)
    data = expedite_form_data(policy, submission_key=str(uuid.uuid4()), passport_number=f"TP{number:08d}")
    if number % 2:  # every other one is a group of two
        data = with_members({**data, "request_type": "group", "organiser_name": "Ito Ken",
                             "organiser_phone": "+81 3 1234 5678", "organiser_email": "ken@example.com"},
                            [{"full_name": "Ito Yui", "date_of_birth": "1995-03-04", "ds160_number": "AA99887766",
                              "previous_visas": "none"}])
    data["members-TOTAL_FORMS"] = "2" if number % 2 else "1"  # fewer empty rows: a quicker page
    return data


def is_success(form_name, response):
    """A redirect to the page that says the form was received."""
    if response.status_code not in (302, 303):
        return False
    location = response["Location"]
    if form_name == "feedback":
        return location.endswith("/feedback/thanks/")
    if form_name == "fraud":
        return "/fraud/received/" in location
    if form_name.startswith(IN_PERSON):
        return "/appointments/in-person/" in location
    if form_name.startswith(ASSISTANCE):
        return "/assistance/requests/" in location
    if form_name == INQUIRY:
        return "/inquiries/" in location and "/ask/" not in location
    return "/appointments/requests/" in location


# Raw bodies --------------------------------------------------------------------------------------------


def raw(value):
    """A value as the bytes sent: str is UTF-8 (lone surrogates kept as their 3-byte form), bytes as is."""
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def urlencoded(pairs):
    """An application/x-www-form-urlencoded body of (name, value) pairs, duplicates kept, bytes sent raw."""
    return "&".join(f"{quote_from_bytes(raw(k))}={quote_from_bytes(raw(v))}" for k, v in pairs).encode("ascii")


def multipart(pairs, files=()):
    """A multipart/form-data body of (name, value) pairs and (name, filename, content, type) files."""
    out = []
    for name, value in pairs:
        out += [f"--{BOUNDARY}".encode(), b'Content-Disposition: form-data; name="' + raw(name) + b'"', b"",
                raw(value)]
    for name, filename, content, content_type in files:
        out += [f"--{BOUNDARY}".encode(),
                f'Content-Disposition: form-data; name="{name}"; filename="{filename}"'.encode(),
                f"Content-Type: {content_type}".encode(), b"", content]
    out += [f"--{BOUNDARY}--".encode(), b""]
    return b"\r\n".join(out), f"multipart/form-data; boundary={BOUNDARY}"


def send(client, url, pairs, *, files=(), as_multipart=False):
    """POST the pairs (and files, which need multipart) with the client, the bytes unchanged."""
    if files or as_multipart:
        body, content_type = multipart(pairs, files)
    else:
        body, content_type = urlencoded(pairs), "application/x-www-form-urlencoded"
    return client.generic("POST", url, body, content_type=content_type)


def query(params):
    """A query string from (name, raw value) pairs: values given percent-encoded ("%00") are sent as such."""
    return "&".join(f"{quote(k)}={v}" for k, v in params)


def proof_files():
    return [("proof", "proof.pdf", PDF, "application/pdf")]


def pairs_of(data):
    return list(data.items())


def row_counts():
    """How many rows each table a public form writes to holds (one query: the fuzz test asks twice a post)."""
    counts = ", ".join(f'(SELECT COUNT(*) FROM "{model._meta.db_table}")' for model in ROW_MODELS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return dict(zip([model.__name__ for model in ROW_MODELS], cursor.fetchone(), strict=True))

