"""Generated posts to every public form (and the query parameters the pages read): valid submissions with one or
several fields replaced by generated text (control characters, NUL, lone surrogates, huge values, numbers and
dates where text is expected and the reverse), fields missing, extra or repeated, with and without the proof
file; and generated lookups (passport, case, the inquiry check, processing times). None is answered with a
500, and a form that is not accepted, or a lookup, writes no row at all. More than 10,000 posts in all."""

import datetime as dt
from collections import Counter
from urllib.parse import quote_from_bytes

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from consular_portal.models import Post
from inquiries.models import Case
from passports.forms import subscribe_number
from passports.models import PassportTracking

from .public_forms import (
    ASSISTANCE,
    IN_PERSON,
    INQUIRY,
    LANGUAGES,
    PDF,
    UNLIMITED,
    QuickClient,
    expedite_slugs,
    field_names,
    form_url,
    is_success,
    query,
    raw,
    row_counts,
    send,
    valid_data,
)

pytestmark = pytest.mark.django_db

# Posts per form; together more than 10,000, within about three minutes on the CI machine (the long request
# form takes ten times as long to answer as the survey, so it has the fewest).
EXAMPLES = {"feedback": 2100, "fraud": 1500, "in-person": 1900, "assistance": 1900, "inquiry": 1900,
            "expedite": 400, "passport": 300}
LOOKUPS = 300  # generated GETs of each lookup page besides, which write nothing
POSTS = 10_000
QUERY_PARAMETERS = ["post", "next", "members", "submitted"]
SPECIAL = [
    "", " ", "\x00", "a\x00b", "\ud800", "\udfff", "\ufeff", "\u202e", "\u200b", "\r\n", "\t", "\x1b[31m", "0", "-1",
    "1e309", "nan", "inf", "9" * 5000, "x" * 10_001, "\x00" * 3000, "0001-01-01", "9999-12-31", "2024-02-30",
    "1899-12-31", "00:00", "24:00", "23:59:59.999999", "on", "yes", "no", "none", "group", "single", "refused",
    "issued", "tokyo", "shanghai", "TOKYO", "AA12345678", "+81", "+8190000000000000000", "a@b", "@", "a@b.c" * 60,
    "[]", "{}", "None", "null", "true", "%00", "../../etc/passwd", "<script>alert(1)</script>", "'; --",
    "00000000-0000-0000-0000-000000000000", "東京", "ｔｏｋｙｏ", "AA\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18",
]


def generated_values():
    return st.one_of(
        st.sampled_from(SPECIAL),
        st.text(st.characters(exclude_categories=()), max_size=40),  # surrogates and control characters too
        st.text(max_size=8).map(lambda s: s * 1500),
        st.integers().map(str),
        st.floats().map(str),
        st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat),
        st.binary(max_size=40),  # not even UTF-8
    )


def mutated(data, draw, names):
    """(name, value) pairs: ``data`` with a few fields set, removed, repeated, or added."""
    pairs = list(data.items())
    for operation, name, value in draw(st.lists(
        st.tuples(st.sampled_from(["set", "set", "remove", "repeat", "extra"]), st.sampled_from(names),
                  generated_values()),
        min_size=1, max_size=4,
    )):
        if operation == "set":
            pairs = [(n, v) for n, v in pairs if n != name] + [(name, value)]
        elif operation == "remove":
            pairs = [(n, v) for n, v in pairs if n != name]
        elif operation == "repeat":
            pairs.append((name, value))
        else:
            pairs.append((value if isinstance(value, str) and value else name + "-extra", value))
    return pairs


def query_string(draw):
    params = draw(st.lists(st.tuples(st.sampled_from(QUERY_PARAMETERS), generated_values()), max_size=3))
    return "?" + query([(name, quote_from_bytes(raw(value))) for name, value in params]) if params else ""


def fuzz_settings(examples):
    return hypothesis_settings(
        max_examples=examples, deadline=None, database=None, derandomize=True, print_blob=False,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                               HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


def test_generated_posts_to_every_public_form_never_fail_and_write_nothing_unless_accepted(
    policies, inquiry_policies, settings
):
    for name, rate in UNLIMITED.items():  # so every post is checked, not refused for the client's rate
        setattr(settings, name, rate)
    client = QuickClient()
    sent, accepted = Counter(), Counter()
    slugs = expedite_slugs()
    in_person, assistance = IN_PERSON + "tokyo", ASSISTANCE + "tokyo"
    names = {form: field_names(form) for form in ["feedback", "fraud", in_person, assistance, INQUIRY, *slugs]}

    def post(group, form, pairs, draw, files=(), as_multipart=False):
        url = form_url(form, draw(st.sampled_from(LANGUAGES))) + query_string(draw)
        before = row_counts()
        response = send(client, url, pairs, files=files, as_multipart=as_multipart)
        sent[group] += 1
        assert response.status_code < 500, (form, url, pairs)
        if is_success(form, response):
            accepted[group] += 1
        else:
            assert row_counts() == before, ("rows written for a refused form", form, pairs)

    @fuzz_settings(EXAMPLES["feedback"])
    @given(st.data())
    def feedback(data):
        pairs = mutated(valid_data("feedback"), data.draw, names["feedback"])
        post("feedback", "feedback", pairs, data.draw, as_multipart=data.draw(st.booleans()))

    @fuzz_settings(EXAMPLES["fraud"])
    @given(st.data())
    def fraud(data):
        pairs = mutated(valid_data("fraud"), data.draw, names["fraud"])
        post("fraud", "fraud", pairs, data.draw, as_multipart=data.draw(st.booleans()))

    @fuzz_settings(EXAMPLES["expedite"])
    @given(st.data())
    def expedite(data):
        form = data.draw(st.sampled_from(slugs))
        pairs = mutated(valid_data(form, number=sum(sent.values())), data.draw, names[form])
        proof = data.draw(st.sampled_from(["pdf", "pdf", "none", "garbage", "two"]))
        files = {
            "pdf": [("proof", "proof.pdf", PDF, "application/pdf")],
            "none": [],
            "garbage": [("proof", "proof.pdf", data.draw(st.binary(max_size=200)), "application/pdf")],
            "two": [("proof", "a.pdf", PDF, "application/pdf"), ("proof_second_page", "b.png", PDF, "image/png")],
        }[proof]
        post("expedite", form, pairs, data.draw, files=files, as_multipart=True)

    def simple_form(group, form, examples):
        @fuzz_settings(examples)
        @given(st.data())
        def fuzz(data):
            pairs = mutated(valid_data(form, number=sum(sent.values())), data.draw, names[form])
            post(group, form, pairs, data.draw, as_multipart=data.draw(st.booleans()))

        return fuzz

    tracked = PassportTracking.objects.create(post=policies["tokyo"].post, key="TK1234567",
                                              status=PassportTracking.Status.AT_POST,
                                              status_changed_at=timezone.now())
    subscribe_names = ["number", "email", "submit"]

    @fuzz_settings(EXAMPLES["passport"])
    @given(st.data())
    def passport(data):
        """The lookup (a GET) and the alert sign-up under its answer (a POST with the signed number)."""
        language = data.draw(st.sampled_from(LANGUAGES))
        number = quote_from_bytes(raw(data.draw(st.one_of(generated_values(), st.just(tracked.key)))))
        before = row_counts()
        lookup = client.get(f"/{language}/passports/status/?number={number}")
        assert lookup.status_code < 500 and row_counts() == before, number
        valid = {"number": subscribe_number(tracked.key), "email": "alerts@example.com"}
        pairs = mutated(valid, data.draw, subscribe_names)
        response = send(client, f"/{language}/passports/alerts/", pairs, as_multipart=data.draw(st.booleans()))
        sent["passport"] += 1
        assert response.status_code < 500, pairs
        if response.status_code == 302 and "/passports/alerts/sent/" in response["Location"]:
            accepted["passport"] += 1
        else:
            assert row_counts() == before, ("rows written for a refused sign-up", pairs)

    tokyo = Post.objects.get(slug="tokyo")
    Case.objects.create(post=tokyo, key="IOE0912345678", status=Case.Status.RECEIVED,
                        status_changed_at=timezone.now())
    known = {
        "number": ["IOE0912345678", "EAC2100000000", "ioe 0912345678"],
        "post": ["tokyo", "shanghai", "osaka-kobe", "beijing"],
        "route": ["interview", "mail", "treaty_trader", "additional_documents"],
        "route_start": ["2026-01-05", (timezone.localdate() - dt.timedelta(days=3)).isoformat()],
        "service": ["I-130", "I-129F", "N-400"],
    }
    lookups = {  # each lookup page and the parameters it reads
        "case": ("cases/status/", ["number"]),
        "inquiry check": ("inquiries/", ["post", "route", "route_start"]),
        "processing times": ("processing-times/", ["post", "service"]),
    }

    def lookup(group):
        """Generated GETs of one lookup page: each is its own run, so each gets its share of examples."""
        path, parameters = lookups[group]

        @fuzz_settings(LOOKUPS)
        @given(st.data())
        def fuzz(data):
            params = [(name, data.draw(st.one_of(st.sampled_from(known[name]), generated_values())))
                      for name in parameters if data.draw(st.integers(0, 4))]  # each present 4 times in 5
            url = f"/{data.draw(st.sampled_from(LANGUAGES))}/{path}?" + query(
                [(name, quote_from_bytes(raw(value))) for name, value in params])
            before = row_counts()
            response = client.get(url)
            looked_up[group] += 1
            assert response.status_code < 500, url
            assert row_counts() == before, ("rows written by a lookup", url)

        return fuzz

    looked_up = Counter()
    feedback()
    fraud()
    simple_form("in-person", in_person, EXAMPLES["in-person"])()
    simple_form("assistance", assistance, EXAMPLES["assistance"])()
    simple_form("inquiry", INQUIRY, EXAMPLES["inquiry"])()
    expedite()
    passport()
    for group in lookups:
        lookup(group)()
    assert sum(sent.values()) >= POSTS, sent  # the fuzzing cannot quietly shrink
    assert all(accepted[group] for group in EXAMPLES), accepted  # and it still reaches the accepted path
    assert all(looked_up[group] >= LOOKUPS // 2 for group in lookups), looked_up
