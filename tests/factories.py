"""Rows for the tests, made the way the portal makes them.

Posts and policies are the seeded ones (``seeded_posts``, ``seeded_policies``; ``PostFactory`` for a new post).
Staff belong to the real groups that the data migrations create and grant (``staff_group``). An expedite
request is submitted through ``appointments.submission.request_submit``, the function the form calls, with
its members and a PDF of proof; a slot is a row at the post's local time. The persona fixtures of
``tests/conftest.py`` are built from these.
"""

import datetime as dt
import functools
import importlib
import io
import uuid

import factory
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from factory.django import DjangoModelFactory, Password
from pypdf import PdfWriter

from consular_portal import groups

PASSWORD = "correct-horse-battery-staple-42"


# Files -------------------------------------------------------------------------------------------------


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


# Posts and policies ------------------------------------------------------------------------------------


def seeded_posts():
    """The seeded posts by slug (transactional tests empty the tables, so they are seeded again if needed)."""
    from consular_portal.models import Post
    from consular_portal.post_data import ADDRESSES, POSTS, seed_addresses, seed_posts

    posts = {post.slug: post for post in Post.objects.all()}
    # Most tests find the migrations' posts in place: then seeding would change nothing, and one query is enough.
    if all(data["slug"] in posts for data in POSTS) and all(
            post.address for slug, post in posts.items() if slug in ADDRESSES):
        return posts
    seed_posts(Post)
    seed_addresses(Post)
    return {post.slug: post for post in Post.objects.all()}


def seeded_policies():
    """The seeded expedite policies by post slug (the posts are seeded first)."""
    from appointments.models import ExpediteCategory, ExpediteExclusion, ExpeditePolicy
    from appointments.policy_data import POLICIES, seed_policies
    from consular_portal.models import Post

    posts = seeded_posts()
    policies = {p.post.slug: p for p in ExpeditePolicy.objects.select_related("post")}
    if all(slug in policies for slug in POLICIES if slug in posts):  # seeding would create none
        return policies
    seed_policies(Post, ExpeditePolicy, ExpediteCategory, ExpediteExclusion)
    return {p.post.slug: p for p in ExpeditePolicy.objects.select_related("post")}


def seeded_inquiry_policies():
    """The seeded status-inquiry policies by post slug (the posts are seeded first)."""
    from consular_portal.models import Post
    from inquiries.inquiry_policy_data import seed_inquiry_policies
    from inquiries.models import InquiryPolicy, InquiryRoute

    seeded_posts()
    seed_inquiry_policies(Post, InquiryPolicy, InquiryRoute)  # only for posts without one (a flush emptied them)
    return {p.post.slug: p for p in InquiryPolicy.objects.select_related("post")}


class PostFactory(DjangoModelFactory):
    """A post that is not one of the seeded ones."""

    class Meta:
        model = "consular_portal.Post"
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"test-post-{n}")
    name = factory.LazyAttribute(lambda o: f"U.S. Consulate {o.slug.replace('-', ' ').title()}")
    kind = "consulate"
    country = "JP"
    time_zone = "Asia/Tokyo"
    email = factory.LazyAttribute(lambda o: f"{o.slug}@example.com")
    officer_mailbox = factory.LazyAttribute(lambda o: f"officers-{o.slug}@example.com")


# Staff -------------------------------------------------------------------------------------------------


def _grant_migrations():
    """The data migrations that create the staff groups and grant them permissions (they call ``grant``)."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection, ignore_no_migrations=True)
    plan = dict.fromkeys(key for leaf in sorted(loader.graph.leaf_nodes()) for key in loader.graph.forwards_plan(leaf))
    found = []
    for key in plan:
        module = importlib.import_module(type(loader.graph.nodes[key]).__module__)
        if getattr(module, "grant", None) is groups.grant:
            found.append(module)
    return loader, found


@functools.cache
def _migration_state():
    """The migrations' model state and those migrations, built once a session (the graph does not change)."""
    loader, modules = _grant_migrations()
    return loader.project_state().apps, modules


def _grant_again():
    """Run those migrations again, on the migrations' own model state (never the live registry)."""
    apps, modules = _migration_state()
    for module in modules:
        module.forwards(apps, None)


def staff_group(name):
    """The group the data migrations created. A transactional test empties every table; then the grants of
    those migrations are run again, so the group has exactly the permissions a real deployment gives it."""
    try:
        return Group.objects.get(name=name)
    except Group.DoesNotExist:
        _grant_again()
        return Group.objects.get(name=name)


class StaffFactory(DjangoModelFactory):
    """A staff user with the test password; ``group`` is one of consular_portal.groups, ``posts`` the posts
    whose staff they are."""

    class Meta:
        model = "auth.User"
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff-{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = Password(PASSWORD)
    is_staff = True

    @factory.post_generation
    def group(self, create, name, **kwargs):
        if name:
            self.groups.add(staff_group(name))

    @factory.post_generation
    def posts(self, create, posts, **kwargs):
        for post in posts or ():
            post.staff.add(self)


def officer(*posts, username=None, **fields):
    """A consular officer of ``posts``."""
    username = username or "officer-" + "-".join(post.slug for post in posts)
    return StaffFactory(username=username, group=groups.OFFICERS, posts=posts, **fields)


def passport_staff(*posts, username="passport-staff", **fields):
    return StaffFactory(username=username, group=groups.PASSPORT_STAFF, posts=posts, **fields)


def administrator(username="administrator", **fields):
    return StaffFactory(username=username, group=groups.ADMINISTRATORS, **fields)


# Expedite requests and slots ---------------------------------------------------------------------------


def member(number, **fields):
    """One member of a group request, as the member formset's cleaned data gives it."""
    return {"full_name": f"Member {number}", "date_of_birth": dt.date(1990, 1, number % 28 + 1),
            "ds160_number": f"AB{number:08d}", "previous_visas": "", **fields}


def proof(pages=1):
    """A checked PDF of proof, as the form hands it to request_submit."""
    from appointments.uploads import upload_check

    return upload_check(upload=pdf_upload(pages))


class ExpediteRequestFactory(factory.Factory):
    """A request submitted through the same function the form calls, with one 1-page PDF of proof.

    ``post`` is required; ``number`` makes each a different applicant; ``category_code`` picks a category of
    the post's policy (the first one otherwise); ``members`` are dicts as ``member()`` gives them; any other
    keyword is a field of the request."""

    class Meta:
        model = "appointments.ExpediteRequest"  # for its name only: _create submits through request_submit

    class Params:
        number = factory.Sequence(lambda n: 1000 + n)  # clear of the small numbers tests give
        category_code = None
        travel_in_days = 10

    post = None
    language = "en"
    site_url = "http://testserver"
    decision = None
    members = ()
    documents = factory.LazyFunction(lambda: [proof()])
    submission_key = factory.LazyFunction(uuid.uuid4)
    category = factory.LazyAttribute(
        lambda o: o.post.expedite_policy.categories.get(code=o.category_code) if o.category_code
        else o.post.expedite_policy.categories.first()
    )
    full_name = factory.LazyAttribute(lambda o: f"Applicant {o.number}")
    date_of_birth = dt.date(1990, 1, 1)
    passport_number = factory.LazyAttribute(lambda o: f"P{o.number:08d}")
    visa_class = "B1/B2"
    ds160_number = factory.LazyAttribute(lambda o: f"AA{o.number:08d}")
    justification = "Urgent."
    phone = "+81 3 1234 5678"
    email = factory.LazyAttribute(lambda o: f"applicant{o.number}@example.com")
    travel_date = factory.LazyAttribute(lambda o: local_today(o.post) + dt.timedelta(days=o.travel_in_days))
    appointment_number = factory.LazyAttribute(lambda o: f"A{o.number}")

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise TypeError("an expedite request exists only once submitted: call ExpediteRequestFactory()")

    @classmethod
    def _create(cls, model_class, *, post, language, members, documents, site_url, decision, **fields):
        from appointments.submission import request_submit

        if post is None:
            raise TypeError("ExpediteRequestFactory needs post=")
        return request_submit(post=post, fields=fields, members=list(members), documents=list(documents),
                              language=language, site_url=site_url, decision=decision)


class SlotFactory(DjangoModelFactory):
    """An interview slot ``in_days`` from the post's today at ``hour`` o'clock, post time."""

    class Meta:
        model = "appointments.AppointmentSlot"

    class Params:
        in_days = 3
        hour = 9

    post = None
    capacity = 5
    starts_at = factory.LazyAttribute(
        lambda o: dt.datetime.combine(local_today(o.post) + dt.timedelta(days=o.in_days), dt.time(o.hour),
                                      tzinfo=o.post.tz)
    )


def in_person_request(post, number=0, language="en", **fields):
    """An in-person appointment request sent to ``post`` (acknowledged, the officers told), as the form sends it."""
    from appointments.in_person_booking import in_person_submit

    today = local_today(post)
    data = {"reason": "status_proof", "details": "I need proof of status for my new employer.",
            "urgency": "standard", "preferred_from": today + dt.timedelta(days=2),
            "preferred_until": today + dt.timedelta(days=20), "full_name": f"Applicant {number}",
            "email": f"applicant{number}@example.com", "phone": "+81 3 1234 5678", **fields}
    return in_person_submit(post=post, fields=data, language=language)


def live_assistance_request(post, number=0, language="en", now=None, **fields):
    """A live-assistance request sent to ``post`` (acknowledged, the officers told), as the form sends it."""
    from inquiries.assistance import assistance_submit

    data = {"topic": "case", "details": "When will my case be decided?", "full_name": f"Applicant {number}",
            "email": f"applicant{number}@example.com", "phone": "", **fields}
    return assistance_submit(post=post, fields=data, language=language, now=now)
