"""Every admin URL the resolver knows, for every persona, against objects of two posts.

The expected answer of each URL lives as data in ``admin_access.yaml`` beside this file. A URL that the
admin serves and the table does not list fails the test, so a new admin view cannot be added without
deciding who may open it. Personas: ``anonymous``, ``officer`` (an officer of Tokyo), ``passport_staff``
(passport staff of Tokyo), ``administrator``. Objects: ``own`` (Tokyo's) and ``other`` (Shanghai's); an
officer opening ``other`` is the officer of another post. Models that belong to no post use one object for
both columns.

Set ``ADMIN_ACCESS_WRITE=1`` to print the table as it is measured (to review, never to paste blindly).
"""

import os
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, reverse

from appointments.models import ExpediteCategory, ExpediteExclusion, ExpeditePolicy
from appointments.policy_data import seed_policies
from consular_portal.groups import ADMINISTRATORS, OFFICERS, PASSPORT_STAFF
from consular_portal.models import Erasure, FraudReport, OutboundEmail, Post, SurveyResponse
from consular_portal.scoping import PostScopedAdmin
from inquiries.models import Case, CaseImport, ProcessingTime
from passports.models import PassportImport, PassportTracking

from .factories import ExpediteRequestFactory, SlotFactory, StaffFactory, in_person_request, live_assistance_request

pytestmark = pytest.mark.django_db

TABLE = Path(__file__).with_name("admin_access.yaml")
PERSONAS = ["anonymous", "officer", "passport_staff", "administrator"]
# Models whose admin is not scoped by post: nobody but administrators holds a permission on them.
ADMINISTRATORS_ONLY = {"auth.group", "auth.user", "otp_totp.totpdevice", "otp_static.staticdevice",
                       "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog", "consular_portal.erasure"}


@pytest.fixture
def clients(tokyo):
    """Each persona with Tokyo as their post (the administrator too)."""
    clients = {"anonymous": Client()}
    for name, group in [("officer", OFFICERS), ("passport_staff", PASSPORT_STAFF),
                        ("administrator", ADMINISTRATORS)]:
        client = Client()
        client.force_login(StaffFactory(username=name, group=group, posts=[tokyo]))
        clients[name] = client
    return clients


def _inquiry_pairs(tokyo, shanghai):
    """Status inquiries (open: the queue), policies and their routes (changed once: history to revert to), and
    standard replies of both posts."""
    from inquiries.inquiry_policy_data import seed_inquiry_policies
    from inquiries.models import Inquiry, InquiryPolicy, InquiryRoute, StandardReply

    seed_inquiry_policies(Post, InquiryPolicy, InquiryRoute)
    policies = tuple(InquiryPolicy.objects.get(post=post) for post in (tokyo, shanghai))
    routes = tuple(policy.routes.first() for policy in policies)
    replies = tuple(StandardReply.objects.create(post=post, title="Pending", body="b") for post in (tokyo, shanghai))
    for row in (*policies, *routes, *replies):
        row.save()
    inquiries = tuple(Inquiry.objects.create(
        reference=f"INQ-{post.slug[:4].upper()}", post=post, promised_by="2026-05-08", full_name="n",
        date_of_birth="1990-01-01", email="a@example.com", passport_number="TK1234567", visa_category="nonimmigrant",
        case_number="AA00000000", route="interview", route_start="2026-04-01", eligible_from="2026-04-15",
        question="q") for post in (tokyo, shanghai))
    return {"inquiries.inquiry": inquiries, "inquiries.inquirypolicy": policies, "inquiries.inquiryroute": routes,
            "inquiries.standardreply": replies}


def _object_pairs(tokyo, shanghai, django_user_model):
    """For every registered model: (Tokyo's object, Shanghai's object)."""
    seed_policies(Post, ExpeditePolicy, ExpediteCategory, ExpediteExclusion)
    policies = {policy.post.slug: policy for policy in ExpeditePolicy.objects.select_related("post")}
    for policy in policies.values():  # a change, so the policy has history to revert to
        policy.response_days_max += 1
        policy.save()
    requests = {post.slug: ExpediteRequestFactory(post=post) for post in (tokyo, shanghai)}
    pairs = {
        "consular_portal.post": (tokyo, shanghai),
        "consular_portal.outboundemail": tuple(
            OutboundEmail.objects.create(post=post, template="appointments/acknowledgement", to="a@example.com",
                                         language="en", subject="s", body_text="b") for post in (tokyo, shanghai)),
        "consular_portal.surveyresponse": tuple(
            SurveyResponse.objects.create(rating=5, post=post, language="en") for post in (tokyo, shanghai)),
        "consular_portal.fraudreport": tuple(
            FraudReport.objects.create(reference=f"FR-{post.slug}", post=post, kind="other", description="d",
                                       language="en") for post in (tokyo, shanghai)),
        "appointments.expeditepolicy": (policies["tokyo"], policies["shanghai"]),
        "appointments.expeditecategory": tuple(policies[slug].categories.first() for slug in ("tokyo", "shanghai")),
        "appointments.expediteexclusion": tuple(policies[slug].exclusions.first() for slug in ("tokyo", "shanghai")),
        "appointments.expediterequest": (requests["tokyo"], requests["shanghai"]),
        "appointments.appointmentslot": (SlotFactory(post=tokyo), SlotFactory(post=shanghai)),
        "appointments.inpersonrequest": (in_person_request(tokyo), in_person_request(shanghai)),
        "passports.passporttracking": tuple(
            PassportTracking.objects.create(post=post, key=f"{post.slug[:2].upper()}1234567")
            for post in (tokyo, shanghai)),
        "passports.passportimport": tuple(
            PassportImport.objects.create(post=post, file=ContentFile(b"passport_number\n", name="statuses.csv"))
            for post in (tokyo, shanghai)),
        "inquiries.case": tuple(Case.objects.create(post=post, key=f"EAC21{number:08d}")
                                for number, post in enumerate((tokyo, shanghai))),
        "inquiries.caseimport": tuple(
            CaseImport.objects.create(post=post, file=ContentFile(b"receipt_number\n", name="cases.csv"))
            for post in (tokyo, shanghai)),
        "inquiries.liveassistancerequest": (live_assistance_request(tokyo), live_assistance_request(shanghai, 1)),
        **_inquiry_pairs(tokyo, shanghai),
        "inquiries.processingtime": tuple(
            ProcessingTime.objects.create(post=post, service="I-130", completed_within=6,
                                          case_inquiry_date="2026-05-01") for post in (tokyo, shanghai)),
    }
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = django_user_model.objects.create_user(username="someone")
    shared = {
        "auth.group": Group.objects.get(name=OFFICERS),
        "auth.user": user,
        "otp_totp.totpdevice": TOTPDevice.objects.create(user=user, name="phone"),
        "otp_static.staticdevice": StaticDevice.objects.create(user=user, name="backup"),
        "axes.accessattempt": AccessAttempt.objects.create(username="x", ip_address="192.0.2.1",
                                                           failures_since_start=1),
        "axes.accesslog": AccessLog.objects.create(username="x", ip_address="192.0.2.1"),
        "axes.accessfailurelog": AccessFailureLog.objects.create(username="x", ip_address="192.0.2.1"),
        "consular_portal.erasure": Erasure.objects.create(reason="r", counts={"inquiries": 1}),
    }
    pairs.update({label: (obj, obj) for label, obj in shared.items()})
    for pair in pairs.values():
        for obj in pair:
            if hasattr(obj, "history") and not obj.history.exists():
                obj.save()  # a first historical record, so the history form has a version to open
    return pairs


def _history_id(obj):
    history = getattr(obj, "history", None)
    return history.order_by("history_date").first().history_id if history is not None else None


def _argument(name, obj):
    if name in ("object_id", "pk", "id"):
        return obj.pk
    if name == "document_pk":
        return obj.documents.first().pk
    raise AssertionError(f"no value known for the URL argument {name!r}: teach {__name__} what it is")


def _url(model_admin, pattern, obj):
    prefix = reverse(f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_changelist")
    route = pattern.pattern
    converters = getattr(route, "converters", {})
    if converters:
        values = {name: _argument(name, obj) for name in converters}
        path = str(route)
        for name, converter in converters.items():
            kind = {"IntConverter": "int", "PathConverter": "path", "StringConverter": "str"}[type(converter).__name__]
            path = path.replace(f"<{kind}:{name}>", str(values[name])).replace(f"<{name}>", str(values[name]))
        return prefix + path
    groups = route.regex.groups
    if groups == 0:
        return prefix + str(route).lstrip("^").rstrip("$")
    if groups == 2:  # <object id>/history/<history id>/: the history form that reverts
        return f"{prefix}{obj.pk}/history/{_history_id(obj)}/"
    raise AssertionError(f"unknown admin URL {route}")


def _key(model_admin, pattern):
    """A pattern's name in the table: its URL name without the model's prefix, else its route."""
    prefix = f"{model_admin.opts.app_label}_{model_admin.opts.model_name}_"
    if pattern.name:
        return pattern.name.removeprefix(prefix)
    return str(pattern.pattern)


# The admin site's own URLs as Django makes them (login, logout, password change, the app lists, the
# autocomplete and view-on-site, measured per model below, and the catch-all).
DJANGO_SITE_URLS = {"index", "login", "logout", "password_change", "password_change_done", "autocomplete", "jsi18n",
                    "view_on_site", "app_list", None}


def _site_rows(clients, tokyo, shanghai):
    """The site's own pages: the dashboard (the index) and each figure's CSV, asked for Tokyo's and for
    Shanghai's figures with ``?post=``, and the second factor's set-up page. Every page the site adds to
    Django's own must be here."""
    from consular_portal.dashboard_views import FIGURES

    served = {pattern.name for pattern in admin.site.get_urls() if isinstance(pattern, URLPattern)}
    added = served - DJANGO_SITE_URLS
    assert added == {"dashboard_csv", "staff_enrol"}, f"admin site URLs nobody decided about: {added}"
    urls = {"index": reverse("admin:index"), "staff_enrol": reverse("admin:staff_enrol"),
            **{f"dashboard_csv {key}": reverse("admin:dashboard_csv", args=[key]) for key in FIGURES}}
    return {name: {persona: [clients[persona].get(url, {"post": post.pk}).status_code for post in (tokyo, shanghai)]
                   for persona in PERSONAS}
            for name, url in urls.items()}


def _measure(clients, tokyo, shanghai, django_user_model):
    pairs = _object_pairs(tokyo, shanghai, django_user_model)
    measured = {"admin.site": _site_rows(clients, tokyo, shanghai)}
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        assert label in pairs, f"{label} is registered in the admin: add objects for it to this test"
        own, other = pairs[label]
        rows = {}
        for pattern in model_admin.urls:
            if not isinstance(pattern, URLPattern):
                continue
            urls = {"own": _url(model_admin, pattern, own), "other": _url(model_admin, pattern, other)}
            rows[_key(model_admin, pattern)] = {
                persona: [clients[persona].get(urls[which]).status_code for which in ("own", "other")]
                for persona in PERSONAS
            }
        content_type = ContentType.objects.get_for_model(model)
        rows["view_on_site"] = {
            persona: [clients[persona].get(reverse("admin:view_on_site", args=[content_type.pk, obj.pk])).status_code
                      for obj in (own, other)]
            for persona in PERSONAS
        }
        measured[label] = rows
    return measured


def test_every_admin_url_answers_every_persona_as_the_table_says(clients, tokyo, shanghai, django_user_model):
    measured = _measure(clients, tokyo, shanghai, django_user_model)
    if os.environ.get("ADMIN_ACCESS_WRITE"):
        print(yaml.safe_dump(measured, sort_keys=True, default_flow_style=None, width=200))
    expected = yaml.safe_load(TABLE.read_text())
    missing = sorted(f"{model} {view}" for model, rows in measured.items() for view in rows
                     if view not in expected.get(model, {}))
    assert not missing, f"admin URLs nobody decided about (add them to {TABLE.name}): {missing}"
    differences = [
        f"{model} {view} {persona}: expected {expected[model][view][persona]}, got {answers}"
        for model, rows in measured.items() for view, personas in rows.items()
        for persona, answers in personas.items() if expected[model][view][persona] != answers
    ]
    assert not differences, "\n".join(differences)


def test_the_table_never_lets_an_officer_open_another_posts_object():
    """The table itself: whatever an officer or passport clerk gets for Shanghai's objects is a refusal."""
    expected = yaml.safe_load(TABLE.read_text())
    for model, rows in expected.items():
        for view, personas in rows.items():
            for persona in ("officer", "passport_staff"):
                _own, other = personas[persona]
                if model in ADMINISTRATORS_ONLY or view in ("changelist", "add", "bulk", "template"):
                    continue
                assert other == 404, f"{model} {view}: {persona} gets {other} for another post's object"


def test_every_admin_is_scoped_by_post_or_for_administrators_only(db):
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        assert isinstance(model_admin, PostScopedAdmin) or label in ADMINISTRATORS_ONLY, label
    granted = Group.objects.exclude(name=ADMINISTRATORS).values_list(
        "permissions__content_type__app_label", "permissions__content_type__model")
    for app_label, model in granted:
        assert f"{app_label}.{model}" not in ADMINISTRATORS_ONLY, f"{app_label}.{model} is granted to non-admins"


def _snapshot(objects):
    return [(type(obj), obj.pk, type(obj).objects.filter(pk=obj.pk).values().first()) for obj in objects]


def test_an_officer_changes_nothing_of_another_post_through_any_admin_url(clients, tokyo, shanghai,
                                                                          django_user_model):
    pairs = _object_pairs(tokyo, shanghai, django_user_model)
    others = [pair[1] for label, pair in pairs.items() if label not in ADMINISTRATORS_ONLY and pair[1] != tokyo]
    before = _snapshot(others)
    history_before = {type(obj): obj.history.count() for obj in others if hasattr(obj, "history")}
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if label in ADMINISTRATORS_ONLY:
            continue
        other = pairs[label][1]
        for pattern in model_admin.urls:
            if isinstance(pattern, URLPattern) and (pattern.pattern.converters if hasattr(pattern.pattern, "converters")
                                                    else pattern.pattern.regex.groups):
                url = _url(model_admin, pattern, other)
                response = clients["officer"].post(url, {"accepting": "", "policy": str(pairs[label][0].pk),
                                                         "action": "refuse", "refusal_reason": "other"})
                assert response.status_code == 404, f"POST {url}: {response.status_code}"
    assert _snapshot(others) == before
    assert {type(obj): obj.history.count() for obj in others if hasattr(obj, "history")} == history_before


def test_an_officer_reverts_a_policy_of_their_post_only_through_the_form(clients, tokyo, shanghai, django_user_model):
    pairs = _object_pairs(tokyo, shanghai, django_user_model)
    policy = pairs["appointments.expeditepolicy"][0]
    first = policy.history.latest("history_date")  # the state to go back to
    policy.response_days_max = first.response_days_max + 1
    policy.save()
    url = reverse("admin:appointments_expeditepolicy_simple_history", args=[policy.pk, first.history_id])
    page = clients["officer"].get(url)
    assert page.status_code == 200
    form = {key: value for key, value in page.context["adminform"].form.initial.items()
            if value is not None and not isinstance(value, bool)}
    form.update({"accepting": "on", "response_days_min": "3", "response_days_max": "1"})  # min above max
    response = clients["officer"].post(url, form)
    assert response.status_code == 200 and "cannot be above the longest" in response.content.decode()
    policy.refresh_from_db()
    assert policy.response_days_max == first.response_days_max + 1
    form.update({"response_days_min": str(first.response_days_min), "response_days_max": str(first.response_days_max)})
    assert clients["officer"].post(url, form).status_code == 302
    policy.refresh_from_db()
    assert policy.response_days_max == first.response_days_max
    assert policy.history.latest("history_date").history_user.username == "officer"


def test_outbox_search_and_filters_are_no_oracle_for_addresses(clients, tokyo):
    OutboundEmail.objects.create(post=tokyo, template="t", to="taro.yamada@example.com", language="en",
                                 subject="s", body_text="secret link https://portal.example/x")
    changelist = reverse("admin:consular_portal_outboundemail_changelist")
    officer = clients["officer"]
    for query in ["?q=taro.yamada@example.com", "?q=%3Dtaro.yamada@example.com"]:
        response = officer.get(changelist + query)
        assert response.status_code == 200 and "ta…@example.com" not in response.content.decode()
    for query in ["?to__startswith=taro", "?to=taro.yamada@example.com", "?body_text__contains=secret"]:
        response = officer.get(changelist + query)
        assert response.status_code == 400 and "ta…@example.com" not in response.content.decode()


def test_officers_see_no_body_of_outbox_mail_administrators_do(clients, tokyo):
    email = OutboundEmail.objects.create(post=tokyo, template="t", to="taro.yamada@example.com", language="en",
                                         subject="s", body_text="your link: /en/appointments/requests/abc:def/")
    url = reverse("admin:consular_portal_outboundemail_change", args=[email.pk])
    officer_page = clients["officer"].get(url).content.decode()
    assert "abc:def" not in officer_page and "taro.yamada@example.com" not in officer_page
    assert "ta…@example.com" in officer_page
    assert "abc:def" in clients["administrator"].get(url).content.decode()


def test_outbox_mail_without_a_post_is_for_administrators_only(clients):
    email = OutboundEmail.objects.create(template="t", to="ops@example.com", language="en", subject="s",
                                         body_text="b")
    url = reverse("admin:consular_portal_outboundemail_change", args=[email.pk])
    assert clients["officer"].get(url).status_code == 404
    assert clients["administrator"].get(url).status_code == 200


def test_admin_url_setting_is_where_the_table_was_measured():
    assert reverse("admin:index") == f"/{settings.ADMIN_URL}"


def test_autocomplete_offers_no_object_of_another_post(clients, tokyo, shanghai, django_user_model):
    """The admin's autocomplete answers from the related model's admin queryset: scoped like every list."""
    pairs = _object_pairs(tokyo, shanghai, django_user_model)
    checked = 0
    for model, model_admin in admin.site._registry.items():
        for field in model._meta.get_fields():
            if not (field.is_relation and field.many_to_one and field.concrete):
                continue
            remote_admin = admin.site._registry.get(field.related_model)
            label = field.related_model._meta.label_lower
            if not isinstance(remote_admin, PostScopedAdmin) or not remote_admin.search_fields or label not in pairs:
                continue
            response = clients["officer"].get(reverse("admin:autocomplete"), {
                "app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field.name,
                "term": ""})
            assert response.status_code == 200, f"{model._meta.label_lower}.{field.name}"
            ids = {int(result["id"]) for result in response.json()["results"]}
            assert pairs[label][1].pk not in ids, f"{model._meta.label_lower}.{field.name}"
            checked += 1
    assert checked, "no autocomplete answered: the test checks nothing"
