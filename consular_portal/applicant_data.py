"""Everything the portal holds about one applicant, found by email address and passport number: to show an
administrator, to export (a zip of one JSON file per kind, and the uploaded files) and to erase on request.

``find`` looks in every model that stores what an applicant sent or was sent: expedite requests (as applicant or
group organiser) and their group members, in-person requests, status inquiries, live-assistance requests,
passport tracking and the alert subscriptions of passports and cases, fraud reports (as reporter), survey
answers whose comments name the address or number, and the outbox's mail to or from the address. What cascades
from a row (events, group members, proof, subscriptions) is exported and erased with it.

``erase`` deletes what was found as the retention purge deletes a kind past its period (``retention``): what
cascades, the history rows and, once the transaction has committed, the stored files; and it keeps first what a
kind's purge keeps (an approved expedite request leaves its keyed hashes in ``EarlierExpedite``, so it still
counts against a later request). The ``EarlierExpedite`` rows found by the passport number are shown and kept:
they hold no name or number, only keyed hashes. An ``Erasure`` row records who erased, when, why and how many
rows of each kind, with keyed hashes of the identifiers, never the identifiers themselves.
"""

import io
import json
import posixpath
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core import serializers
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from . import retention
from .models import Erasure, FraudReport, OutboundEmail, SurveyResponse
from .scoping import scope_queryset
from .text import normalise_identifier

KEPT = frozenset({"earlier_expedites"})  # shown and exported; an erasure keeps them (see above)


@dataclass(frozen=True)
class Kind:
    """One kind of applicant data: ``match(email, passport_number)`` is the condition on ``model`` (None: this
    kind is not found by what was given); ``post_path`` leads to the row's post (``scoping``); a ``kept`` kind
    is shown and exported but not erased."""

    name: str
    label: str
    model: type
    post_path: str
    match: object

    @property
    def kept(self):
        return self.name in KEPT


def _any_field(fields, *, lookup="exact", by="email"):
    """The condition "one of ``fields`` matches the identifier ``by`` names" (``email``, ``passport`` or
    ``either``: both given), with ``lookup``; None when that identifier was not given."""
    def match(email, passport_number):
        values = {"email": [email], "passport": [passport_number], "either": [email, passport_number]}[by]
        values = [value for value in values if value]
        if not values:
            return None
        condition = Q()
        for name in fields:
            for value in values:
                condition |= Q(**{f"{name}__{lookup}": value})
        return condition
    return match


def _email_match(*fields):
    return _any_field(fields, lookup="iexact")


def _passport_match(*fields):
    return _any_field(fields, by="passport")


def _mentioned_in(name):
    """Free text that names the address or the number (an anonymous survey answer someone signed)."""
    return _any_field([name], lookup="icontains", by="either")


def _either(*matches):
    def match(email, passport_number):
        conditions = [condition for m in matches if (condition := m(email, passport_number)) is not None]
        if not conditions:
            return None
        combined = conditions[0]
        for condition in conditions[1:]:
            combined |= condition
        return combined
    return match


def _earlier_expedites(email, passport_number):
    """The rows kept of purged approved requests: matched by the keyed hash of the number or organiser's email."""
    from appointments.models.earlier_expedites import identity_hash

    hashes = Q()
    if passport_number:
        hashes |= Q(passport_hash=identity_hash("passport", passport_number))
    if email:
        hashes |= Q(organiser_email_hash=identity_hash("organiser_email", email))
    return hashes if hashes else None


def kinds():
    """Every kind, in the order they are shown and erased (a row before what it would otherwise leave behind)."""
    from appointments.models import EarlierExpedite, ExpediteRequest, GroupMember, InPersonRequest
    from inquiries.models import CaseSubscription, Inquiry, LiveAssistanceRequest
    from passports.models import PassportSubscription, PassportTracking

    return [
        Kind("expedite_requests", _("Expedite requests"), ExpediteRequest, "post",
             _either(_email_match("email", "organiser_email"), _passport_match("passport_number"))),
        Kind("expedite_group_members", _("Group members of other applicants' expedite requests"), GroupMember,
             "request__post", _passport_match("passport_number")),
        Kind("in_person_requests", _("In-person appointment requests"), InPersonRequest, "post",
             _email_match("email")),
        Kind("inquiries", _("Status inquiries"), Inquiry, "post",
             _either(_email_match("email"), _passport_match("passport_number"))),
        Kind("live_assistance_requests", _("Live-assistance requests"), LiveAssistanceRequest, "post",
             _email_match("email")),
        Kind("passport_tracking", _("Passport tracking"), PassportTracking, "post", _passport_match("key")),
        Kind("passport_subscriptions", _("Passport status subscriptions"), PassportSubscription, "item__post",
             _email_match("email")),
        Kind("case_subscriptions", _("Case status subscriptions"), CaseSubscription, "item__post",
             _email_match("email")),
        Kind("fraud_reports", _("Fraud reports"), FraudReport, "post", _email_match("reporter_email")),
        Kind("survey_responses", _("Survey answers that mention them"), SurveyResponse, "post",
             _mentioned_in("comments")),
        Kind("outbox", _("Emails to or from them"), OutboundEmail, "post", _email_match("to", "reply_to")),
        Kind("earlier_expedites", _("Earlier expedites (keyed hashes)"), EarlierExpedite, "post",
             _earlier_expedites),
    ]


def normalise(*, email="", passport_number=""):
    """The identifiers as they are stored and compared: the address trimmed, the number as ``text`` keeps it."""
    return (email or "").strip(), normalise_identifier(passport_number or "")


@dataclass
class Found:
    """What ``find`` found: ``rows[kind name]`` is a queryset (absent when the kind is not found by what was
    given)."""

    email: str
    passport_number: str
    kinds: list
    rows: dict = field(default_factory=dict)

    def counts(self):
        return {kind.name: self.rows[kind.name].count() for kind in self.kinds if kind.name in self.rows}

    def __bool__(self):
        return any(self.counts().values())


def find(*, email="", passport_number="", user=None):
    """Every row held about the applicant with ``email`` and/or ``passport_number``. With ``user``, each kind is
    reduced to what that member of staff may see (``scoping.scope_queryset``: administrators see all)."""
    email, passport_number = normalise(email=email, passport_number=passport_number)
    if not email and not passport_number:
        raise ValueError("find needs an email address or a passport number")
    found = Found(email=email, passport_number=passport_number, kinds=kinds())
    for kind in found.kinds:
        condition = kind.match(email, passport_number)
        if condition is None:
            continue
        rows = kind.model._base_manager.filter(condition)
        if user is not None:
            rows = scope_queryset(rows, user, post_path=kind.post_path)
        found.rows[kind.name] = rows.order_by("pk")
    # A group member whose whole request was found goes with that request: listed once.
    if "expedite_group_members" in found.rows and "expedite_requests" in found.rows:
        found.rows["expedite_group_members"] = found.rows["expedite_group_members"].exclude(
            request__in=found.rows["expedite_requests"])
    # Likewise a subscription to a passport that was found goes with it.
    if "passport_subscriptions" in found.rows and "passport_tracking" in found.rows:
        found.rows["passport_subscriptions"] = found.rows["passport_subscriptions"].exclude(
            item__in=found.rows["passport_tracking"])
    return found


# Export ------------------------------------------------------------------------------------------------------


def _rows_with(rows):
    """Every row that goes with ``rows`` (``rows`` included), as erasing them deletes them: model → rows."""
    collected = {}
    for model, pks in retention.deleted_with(rows):
        if pks:
            collected.setdefault(model, set()).update(pks)
    return {model: model._base_manager.filter(pk__in=pks).order_by("pk") for model, pks in collected.items()}


def export(*, email="", passport_number="", user=None):
    """A zip of what ``find`` finds: ``<kind>.json`` per kind (Django's JSON serialisation of each row and of
    every row that goes with it), ``files/<kind>/<name>`` for every stored file, and ``summary.json``."""
    found = find(email=email, passport_number=passport_number, user=user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        summary = {"exported_at": timezone.now().isoformat(), "counts": found.counts()}
        archive.writestr("summary.json", json.dumps(summary, indent=2))
        for kind in found.kinds:
            if kind.name not in found.rows:
                continue
            related = _rows_with(found.rows[kind.name]) if not kind.kept else {kind.model: found.rows[kind.name]}
            objects = [obj for queryset in related.values() for obj in queryset]
            archive.writestr(f"{kind.name}.json", serializers.serialize("json", objects, indent=2))
            for model, queryset in related.items():
                for name in retention.stored_files(model, list(queryset.values_list("pk", flat=True))):
                    _add_file(archive, f"files/{kind.name}/{name}", name)
    return buffer.getvalue()


def _add_file(archive, arcname, name):
    try:
        with default_storage.open(name, "rb") as stored:
            archive.writestr(posixpath.normpath(arcname), stored.read())
    except OSError:
        archive.writestr(posixpath.normpath(arcname) + ".missing", "")


# Erase -------------------------------------------------------------------------------------------------------


def identifier_hash(kind, value):
    """The keyed hash an ``Erasure`` keeps of an identifier (``kind``: email or passport): the same value gives
    the same hash (an administrator can tell whether an address was erased before), but the row cannot be read
    back into it. Keyed with ``EARLIER_EXPEDITE_HASH_KEY``, the key that outlives a rotated ``SECRET_KEY``."""
    if not value:
        return ""
    value = value.strip().lower() if kind == "email" else normalise_identifier(value)
    return salted_hmac(f"consular_portal.erasure.{kind}", value, secret=settings.EARLIER_EXPEDITE_HASH_KEY,
                       algorithm="sha256").hexdigest()


def _before_delete(model):
    """The hook the retention purge runs on ``model``'s rows before they go, if its kind has one."""
    for kind in retention.kinds().values():
        if kind.before_delete is not None and kind.expired(timezone.now()).model is model:
            return kind.before_delete
    return None


def erase(*, email="", passport_number="", by, reason, user=None):
    """Erase what ``find`` finds for the applicant, in one transaction, and record it (``Erasure``). ``by`` is
    the administrator who erases, ``reason`` why (the applicant's request, its reference). Returns the
    ``Erasure``; the stored files leave the storage once the transaction has committed."""
    if not reason.strip():
        raise ValueError("an erasure needs a reason")
    with transaction.atomic():
        found = find(email=email, passport_number=passport_number, user=user)
        counts = found.counts()
        for kind in found.kinds:
            if kind.kept or kind.name not in found.rows:
                continue
            pks = list(found.rows[kind.name].select_for_update(of=("self",)).values_list("pk", flat=True))
            if pks:
                retention.delete_rows(kind.model._base_manager.filter(pk__in=pks),
                                      before_delete=_before_delete(kind.model))
        erasure = Erasure.objects.create(
            erased_by=by, erased_by_username=by.get_username() if by else "", reason=reason.strip(),
            email_hash=identifier_hash("email", found.email),
            passport_hash=identifier_hash("passport", found.passport_number),
            counts=counts,
        )
    return erasure


def earlier_erasures(*, email="", passport_number=""):
    """The erasures recorded for this address or number (their hashes match)."""
    email, passport_number = normalise(email=email, passport_number=passport_number)
    condition = Q(pk__in=[])
    if email:
        condition |= Q(email_hash=identifier_hash("email", email))
    if passport_number:
        condition |= Q(passport_hash=identifier_hash("passport", passport_number))
    return Erasure.objects.filter(condition)


__all__ = ["KEPT", "Found", "Kind", "earlier_erasures", "erase", "export", "find", "identifier_hash", "kinds"]
