"""Submitting a request: one transaction writes the request, its members, its proof, its first event and the
two emails (acknowledgement, officer notification)."""


from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consular_portal.business_calendar import add_business_days
from consular_portal.references import save_with_new_reference
from consular_portal.text import name_key, normalise_name

from . import emails
from .models import ExpediteRequest, GroupMember, RequestEvent, SupportingDocument

REFERENCE_PREFIX = "EXP"


class DuplicateSubmission(Exception):
    """The same form was submitted twice; ``existing`` is the request the first submission created."""

    def __init__(self, existing):
        super().__init__(existing.reference)
        self.existing = existing


class DuplicateRequest(Exception):
    """An open request for the same passport and appointment number exists at this post."""


def promised_answer_date(*, post, policy, submitted_at):
    return add_business_days(post, post.local_today(submitted_at), policy.response_days_max)


def earlier_expedites(*, passport_number, organisation="", organiser_email="", exclude=None):
    """Approved expedites of the same applicant (passport), organisation or group organiser (email), at any
    post: the seed's "applicant or organisation that already had an expedited appointment"."""
    same = Q(passport_number=passport_number)
    if normalise_name(organisation):  # stored as normalise_name stores it: the same name, whatever the case
        same |= Q(organisation__iexact=normalise_name(organisation))
    if organiser_email.strip():
        same |= Q(organiser_email__iexact=organiser_email.strip())
    approved = ExpediteRequest.objects.filter(same, status=ExpediteRequest.Status.APPROVED)
    return approved.exclude(pk=exclude.pk) if exclude is not None and exclude.pk else approved


def earlier_expedite_reasons(current, other):
    """Why ``other``, an earlier expedite, counts against ``current``: the matches ``earlier_expedites`` makes."""
    reasons = []
    if other.passport_number == current.passport_number:
        reasons.append(_("same passport"))
    if name_key(current.organisation) and name_key(other.organisation) == name_key(current.organisation):
        reasons.append(_("same organisation"))
    if current.organiser_email and other.organiser_email.lower() == current.organiser_email.lower():
        reasons.append(_("same group organiser"))
    return reasons


def earlier_expedite_exists(*, passport_number, organisation="", organiser_email=""):
    """An approved expedite of the same applicant, organisation or organiser: a request still held, or one purged
    since (of which only keyed hashes are kept, ``EarlierExpedite``)."""
    from .models import EarlierExpedite

    same = {"passport_number": passport_number, "organisation": organisation, "organiser_email": organiser_email}
    return earlier_expedites(**same).exists() or EarlierExpedite.matching(**same).exists()


def request_submit(*, post, fields, members=(), documents=(), language, site_url="", decision=None):
    """Create a request from cleaned form data; raise DuplicateSubmission or DuplicateRequest."""
    policy = post.expedite_policy
    now = timezone.now()
    with transaction.atomic():
        request = ExpediteRequest(
            post=post,
            language=language,
            site_url=site_url,
            promised_by=promised_answer_date(post=post, policy=policy, submitted_at=now),
            **fields,
        )
        request.previous_expedite_flag = request.previous_expedite_declared or earlier_expedite_exists(
            passport_number=request.passport_number, organisation=request.organisation,
            organiser_email=request.organiser_email,
        )
        _save_new(request)
        GroupMember.objects.bulk_create(
            [GroupMember(request=request, order=index, **member) for index, member in enumerate(members, 1)]
        )
        for checked in documents:
            document = SupportingDocument(
                request=request,
                original_name=checked.original_name,
                content_type=checked.content_type,
                size=len(checked.content),
                pages=checked.pages,
                sha256=checked.sha256,
            )
            document.file.save("proof", ContentFile(checked.content), save=False)
            document.save()
        RequestEvent.objects.create(request=request, to_status=request.status)
        emails.send_acknowledgement(request)
        emails.send_officer_notification(request, decision=decision)
    return request


def _save_new(request):
    try:
        save_with_new_reference(request, REFERENCE_PREFIX)
    except IntegrityError:
        existing = ExpediteRequest.objects.filter(submission_key=request.submission_key).first()
        if existing is not None:
            raise DuplicateSubmission(existing) from None
        if open_duplicate_exists(post=request.post, passport_number=request.passport_number,
                                 appointment_number=request.appointment_number):
            raise DuplicateRequest() from None
        raise


def open_duplicate_exists(*, post, passport_number, appointment_number):
    return ExpediteRequest.objects.filter(
        post=post, passport_number=passport_number, appointment_number=appointment_number,
        status__in=ExpediteRequest.OPEN,
    ).exists()

