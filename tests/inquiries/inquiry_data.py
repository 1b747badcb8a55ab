"""A status inquiry form as an applicant interviewed 12 business days ago fills it in (shared by the inquiry
tests and the hostile-input tests)."""

from consular_portal.business_calendar import add_business_days

QUESTION = "Please tell me when my passport comes back <b>urgently</b>"


def inquiry_form_data(at, **changes):
    """The form for the post ``at``: eligible, with every field valid."""
    start = add_business_days(at, at.local_today(), -12)
    return {
        "post": at.slug, "visa_category": "nonimmigrant", "case_number": "aa00 9k8j7h", "route": "interview",
        "route_start": start.isoformat(), "interview_date": "", "interview_office": "Tokyo",
        "full_name": "Hanako Suzuki", "date_of_birth": "1990-04-01", "passport_number": "TK1234567",
        "on_behalf": "no", "first_inquiry": "yes", "question": QUESTION, "email": "hanako@example.com",
        "language": "en", **changes,
    }


def status_inquiry(at, *, language="en", **fields):
    """An eligible inquiry at the post ``at``, sent as the form sends it (acknowledgement and notifications
    queued); ``fields`` replace the form's cleaned values."""
    from inquiries.inquiry_rules import inquiry_submit
    from inquiries.models import InquiryPolicy

    policy = InquiryPolicy.objects.select_related("post").prefetch_related("routes").get(post=at)
    values = {
        "visa_category": "nonimmigrant", "case_number": "AA009K8J7H", "route": "interview",
        "route_start": add_business_days(at, at.local_today(), -12), "interview_date": None,
        "interview_office": "Tokyo", "full_name": "Hanako Suzuki", "date_of_birth": "1990-04-01",
        "passport_number": "TK1234567", "on_behalf": False, "first_inquiry": True, "question": QUESTION,
        "email": "hanako@example.com", **fields,
    }
    return inquiry_submit(policy=policy, fields=values, language=language)
