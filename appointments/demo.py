"""Demo content for the embedded default (`make run`): interview slots and two requests in the queues, so
an officer trying the back office has something to decide. Development only; idempotent."""

import datetime as dt
import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from consular_portal.business_calendar import add_business_days

from .booking import slots_create_day
from .models import AppointmentSlot, ExpediteRequest
from .submission import request_submit
from .uploads import upload_check

DEMO_REQUESTS = [
    # post, fixed submission key (so a second run finds it), fields, language
    ("tokyo", uuid.UUID("00000000-0000-4000-8000-000000000001"),
     {"full_name": "Yamada Hanako", "passport_number": "TZ1234567", "ds160_number": "AA00DEMO01",
      "visa_class": "F1", "email": "hanako.yamada@example.com", "phone": "+81 90 1234 5678",
      "justification": "My exchange programme in Boston starts in ten days; my interview is next month.",
      "appointment_number": "TKY-DEMO-1"}, "ja"),
    ("shanghai", uuid.UUID("00000000-0000-4000-8000-000000000002"),
     {"full_name": "Li Wei", "passport_number": "E12345678", "ds160_number": "AA00DEMO02", "visa_class": "B1/B2",
      "email": "li.wei@example.com", "phone": "+86 138 0000 0000", "residence_region": "CN-JS",
      "resided_in_district": True, "residence_places": "Nanjing, since 2019", "work_places": "Nanjing, since 2019",
      "justification": "A supplier's plant failure needs me on site in Ohio; missing it stops our production line.",
      "appointment_number": "SH-DEMO-1"}, "zh-hans"),
]


def _one_page_pdf():
    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


def demo_slots(post, *, days=10):
    """A morning of slots on each of the post's next business days, unless the post has future slots."""
    now = timezone.now()
    if AppointmentSlot.objects.filter(post=post, starts_at__gte=now).exists():
        return 0
    today = post.local_today(now)
    created = 0
    for offset in range(1, days + 1):
        day = add_business_days(post, today, offset)
        created += len(slots_create_day(post=post, day=day, first=dt.time(9), last=dt.time(11, 30),
                                        every_minutes=30, capacity=3))
    return created


def demo_requests(posts):
    """The two sample requests, unless they exist already."""
    created = 0
    for slug, key, fields, language in DEMO_REQUESTS:
        post = posts[slug]
        if ExpediteRequest.objects.filter(submission_key=key).exists():
            continue
        today = post.local_today()
        proof = upload_check(upload=SimpleUploadedFile("proof.pdf", _one_page_pdf(), "application/pdf"))
        request_submit(
            post=post,
            fields={
                "submission_key": key,
                "category": post.expedite_policy.categories.first(),
                "date_of_birth": dt.date(1995, 4, 5),
                "travel_date": today + dt.timedelta(days=10),
                "interview_at": timezone.now() + dt.timedelta(days=40),
                **fields,
            },
            documents=[proof],
            language=language,
            site_url="http://127.0.0.1:8000",
        )
        created += 1
    return created
