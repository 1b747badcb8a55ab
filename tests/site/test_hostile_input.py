"""What a script can send to the public site (NUL, broken UTF-8, lone surrogates, 10 kB values, odd charsets,
links that are not this site's) is answered with a page or a 4xx, never a 500, and writes nothing."""

import asyncio
import io
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote, quote_from_bytes, urlencode
from wsgiref.util import setup_testing_defaults

import pytest
from django.core import signals, signing
from django.db import close_old_connections

from appointments.models import ExpediteRequest, InPersonRequest
from consular_portal.models import Post, SurveyResponse
from consular_portal.post_choice import COOKIE, valid_slug
from consular_portal.views import FRAUD_RECEIVED_SALT
from inquiries.models import Inquiry, LiveAssistanceRequest

from .public_forms import (
    INQUIRY,
    LANGUAGES,
    UNLIMITED,
    QuickClient,
    assistance_forms,
    expedite_slugs,
    field_names,
    form_url,
    in_person_forms,
    is_success,
    multipart,
    proof_files,
    public_routes,
    query,
    row_counts,
    send,
    valid_data,
)

pytestmark = pytest.mark.django_db
REQUEST_SALT = "appointments.request"  # the salt of the applicant's link to a request

HOSTILE = {
    "nul": b"\x00",
    "lone-surrogate": b"\xed\xa0\x80",  # U+D800 as UTF-8 would write it, which UTF-8 forbids
    "broken-utf8": b"\xc3\x28\xff",
    "10kB": b"x" * 10_000,
    "10kB-digits": b"9" * 10_000,
}
QUERY_PARAMETERS = ["post", "next", "members", "submitted", "language", "page", "number", "service", "route",
                    "route_start"]


@pytest.fixture
def client(client, settings):
    client.raise_request_exception = False  # a 500 is what these tests look for: see it as a response
    for name, rate in UNLIMITED.items():  # so every post is checked, not refused for the client's rate
        setattr(settings, name, rate)
    return client


def no_500(response, what):
    assert response.status_code < 500, f"{what}: {response.status_code}"
    return response


# The post selector's "next" ----------------------------------------------------------------------------


def test_post_selector_remembers_the_post_and_goes_back_to_the_page(client, posts):
    response = client.get("/ja/post/?" + urlencode({"post": "osaka-kobe", "next": "/ja/fraud/?x=1"}))
    assert response.status_code == 302 and response["Location"] == "/ja/fraud/?x=1"
    assert response.cookies[COOKIE].value == "osaka-kobe"


@pytest.mark.parametrize("target", [
    "x", "contact", "home", "feedback_thanks", "appointments:policy", "", "//evil.example/", "///evil.example/",
    "/\\evil.example/", "\\\\evil.example/", "https://evil.example/", "javascript:alert(1)", "/en/\x00",
    "/en/\r\nSet-Cookie: x=1", "/en/\t/", "\ud800",
])
def test_post_selector_goes_to_the_contact_page_for_a_next_that_is_no_path_of_this_site(client, posts, target):
    url = "/en/post/?post=tokyo&next=" + quote_from_bytes(target.encode("utf-8", "surrogatepass"))
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == "/en/contact/"
    assert response.cookies[COOKIE].value == "tokyo"


# Slugs from the URL and the cookie ---------------------------------------------------------------------


@pytest.mark.parametrize(("value", "valid"), [
    ("tokyo", True), ("osaka-kobe", True), ("a" * 50, True), ("", False), ("a" * 51, False), ("\x00", False),
    ("tokyo\x00", False), ("東京", False), ("tokyo/", False), ("tokyo\n", False), (None, False), (["tokyo"], False),
])
def test_valid_slug(value, valid):
    assert valid_slug(value) is valid


@pytest.mark.parametrize("page", [
    "", "contact/", "feedback/", "fraud/", "post/", "appointments/tokyo/", "appointments/tokyo/request/",
])
@pytest.mark.parametrize("value", ["%00", "tokyo%00", "%ED%A0%80", "a" * 10_000])
def test_a_post_parameter_that_is_no_slug_chooses_no_post(client, policies, page, value):
    response = client.get(f"/en/{page}?post={value}")
    assert response.status_code == (302 if page == "post/" else 200)
    assert COOKIE not in response.cookies


@pytest.mark.parametrize("value", ["\x00", "tokyo\x00", "a" * 3000])
def test_a_post_cookie_that_is_no_slug_is_ignored(client, posts, value):
    client.cookies[COOKIE] = value
    response = client.get("/en/contact/")
    assert response.status_code == 200 and "Choose your embassy or consulate" in response.content.decode()


def test_expedite_pages_of_a_slug_no_post_could_have_are_not_found(client, policies):
    for path in ["/en/appointments/" + "a" * 51 + "/", "/en/appointments/" + "a" * 10_000 + "/request/",
                 "/en/appointments/%00/", "/en/appointments/%ED%A0%80/request/"]:
        assert client.get(path).status_code == 404


# Bodies the forms cannot read ------------------------------------------------------------------------


@pytest.mark.parametrize("charset", ["utf-16", "UTF-16LE", "shift_jis", "latin-1", "x-nope", ""])
@pytest.mark.parametrize("kind", ["urlencoded", "multipart"])
def test_a_form_in_another_charset_than_utf8_is_refused(client, posts, charset, kind):
    if kind == "urlencoded":
        body, content_type = b"rating=3&comments=ok", "application/x-www-form-urlencoded"
    else:
        body, content_type = multipart([("rating", "3"), ("comments", "ok")])
    response = client.generic("POST", "/en/feedback/", body, content_type=f"{content_type}; charset={charset}")
    assert response.status_code == 400
    assert "Bad Request" in response.content.decode()
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize(("kind", "charset"), [
    ("urlencoded", "utf-8"), ("urlencoded", "UTF-8"), ("multipart", "utf-8"), ("multipart", "US-ASCII"),
])
def test_a_form_that_says_it_is_utf8_is_accepted(client, posts, kind, charset):
    if kind == "urlencoded":
        body, content_type = b"rating=3&comments=%E3%81%82", "application/x-www-form-urlencoded"
    else:
        body, content_type = multipart([("rating", "3"), ("comments", "あ" if charset == "utf-8" else "ok")])
    response = client.generic("POST", "/en/feedback/", body, content_type=f"{content_type}; charset={charset}")
    assert response.status_code == 302
    assert SurveyResponse.objects.get().comments == ("ok" if charset == "US-ASCII" else "あ")


@pytest.mark.parametrize("body", [b"rating=\xff\xfe", b"rating=%FF", b"rating=3\xed\xa0\x80", b"\xff=\xff&rating"])
def test_a_form_body_that_is_not_utf8_shows_the_form_again(client, posts, body):
    response = client.generic("POST", "/en/feedback/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and 'id="error-summary"' in response.content.decode()
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("content_type", [
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=\"a b\x01\"",
    "multipart/form-data; boundary=" + "b" * 300,
    "multipart/form-data; boundary=東京",
])
def test_a_multipart_form_without_a_usable_boundary_is_refused(client, posts, content_type):
    body, _content_type = multipart([("rating", "3")])
    response = client.generic("POST", "/en/feedback/", body, content_type=content_type)
    assert response.status_code == 400
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("cut", [1, 30, 60, 200])
def test_a_multipart_form_cut_short_is_no_error(client, posts, cut):
    body, content_type = multipart([("rating", "3"), ("comments", "ok")])
    no_500(client.generic("POST", "/en/feedback/", body[:-cut], content_type=content_type), "cut short")


UNPARSABLE_CONTENT_TYPES = [
    "multipart/form-data; boundary=x; charset*=x-nope''abc",  # an RFC 2231 value in an unknown charset
    "application/x-www-form-urlencoded; a=" + "b" * 10_000,  # longer than Django parses
]


@pytest.fixture
def served():
    """Requests through the portal's own WSGI and ASGI applications (what gunicorn or an ASGI server runs),
    which build the request themselves: the test client builds its own."""
    signals.request_started.disconnect(close_old_connections)  # the test's transaction stays open
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def wsgi_status(method, content_type, body=b"rating=3"):
    from consular_portal.wsgi import application

    environ = {"REQUEST_METHOD": method, "PATH_INFO": "/en/feedback/", "HTTP_HOST": "testserver",
               "CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
    setup_testing_defaults(environ)
    statuses = []
    application(environ, lambda status, headers, exc_info=None: statuses.append(status)).close()
    return int(statuses[0].split()[0])


def asgi_status(method, content_type, body=b"rating=3"):
    from consular_portal.asgi import application

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": "/en/feedback/", "raw_path": b"/en/feedback/", "query_string": b"",
             "root_path": "", "server": ("testserver", 80), "client": ("127.0.0.1", 5000),
             "headers": [(b"host", b"testserver"), (b"content-type", content_type.encode()),
                         (b"content-length", str(len(body)).encode())]}
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    sent = []

    async def receive():
        if messages:
            return messages.pop(0)
        await asyncio.Event().wait()  # the client stays connected until the answer is sent

    async def send(message):
        sent.append(message)

    # In a thread of its own: the browser tests' Playwright may hold an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, application(scope, receive, send)).result(timeout=30)
    return next(m["status"] for m in sent if m["type"] == "http.response.start")


@pytest.mark.parametrize("content_type", UNPARSABLE_CONTENT_TYPES)
def test_a_content_type_django_cannot_parse_is_a_400_not_a_500(posts, served, content_type):
    assert wsgi_status("POST", content_type) == 400
    assert wsgi_status("GET", content_type) == 200  # a page asked for with a bad header on no body
    assert not SurveyResponse.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("content_type", UNPARSABLE_CONTENT_TYPES)
def test_a_content_type_django_cannot_parse_is_a_400_under_asgi_too(posts, content_type):
    assert asgi_status("POST", content_type) == 400
    assert not SurveyResponse.objects.exists()


def test_the_portal_application_runs_every_check_on_a_readable_post(posts, served):
    assert wsgi_status("POST", "application/x-www-form-urlencoded") == 403  # no CSRF token: refused as always
    assert not SurveyResponse.objects.exists()


# Every public page and form ----------------------------------------------------------------------------


def garbage_tokens():
    return [
        "x", "%00", "%ED%A0%80", "a" * 10_000, "a:b:c", "%3A%3A%3A",
        quote(signing.dumps("EXP-AAAA-AAAA", salt="another-purpose")),
        quote(signing.dumps(12345, salt=REQUEST_SALT, compress=True)),  # signed by us, but no reference
        quote(signing.dumps(["EXP"], salt=FRAUD_RECEIVED_SALT)),
    ]


def page_paths():
    """Concrete paths of every public route (the route table fails when urls.py gains a route not here)."""
    slugs = [*Post.objects.values_list("slug", flat=True), "nowhere", "a" * 51, "UPPER_case", "%00"]
    tokens = garbage_tokens()
    table = {
        "i18n/setlang/": [],  # POST only: test_the_language_switch_takes_hostile_values
        "en/": ["/{lang}/"],
        "en/post/": ["/{lang}/post/"],
        "en/contact/": ["/{lang}/contact/"],
        "en/feedback/": ["/{lang}/feedback/"],
        "en/feedback/thanks/": ["/{lang}/feedback/thanks/"],
        "en/fraud/": ["/{lang}/fraud/"],
        "en/fraud/received/<str:token>/": [f"/{{lang}}/fraud/received/{t}/" for t in tokens],
        "en/appointments/requests/<str:token>/": [f"/{{lang}}/appointments/requests/{t}/" for t in tokens],
        "en/appointments/requests/<str:token>/withdraw/": [
            f"/{{lang}}/appointments/requests/{t}/withdraw/" for t in tokens],
        "en/appointments/requests/<str:token>/appointment.ics": [
            f"/{{lang}}/appointments/requests/{t}/appointment.ics" for t in tokens],
        "en/appointments/<slug:post>/": [f"/{{lang}}/appointments/{s}/" for s in slugs],
        "en/appointments/<slug:post>/request/": [f"/{{lang}}/appointments/{s}/request/" for s in slugs],
        "en/appointments/<slug:post>/request/check/": [
            f"/{{lang}}/appointments/{s}/request/check/" for s in slugs],
        "en/appointments/in-person/<str:token>/": [f"/{{lang}}/appointments/in-person/{t}/" for t in tokens],
        "en/appointments/in-person/<str:token>/withdraw/": [
            f"/{{lang}}/appointments/in-person/{t}/withdraw/" for t in tokens],
        "en/appointments/in-person/<str:token>/appointment.ics": [
            f"/{{lang}}/appointments/in-person/{t}/appointment.ics" for t in tokens],
        "en/appointments/<slug:post>/in-person/": [f"/{{lang}}/appointments/{s}/in-person/" for s in slugs],
        "en/passports/status/": ["/{lang}/passports/status/"],
        "en/passports/statuses/": ["/{lang}/passports/statuses/"],
        "en/passports/alerts/": ["/{lang}/passports/alerts/"],  # POST only: 405 to the others
        "en/passports/alerts/sent/": ["/{lang}/passports/alerts/sent/"],
        "en/passports/alerts/confirm/<str:token>/": [f"/{{lang}}/passports/alerts/confirm/{t}/" for t in tokens],
        "en/passports/alerts/unsubscribe/<str:token>/": [
            f"/{{lang}}/passports/alerts/unsubscribe/{t}/" for t in tokens],
        "en/passports/delivery/<str:token>/": [f"/{{lang}}/passports/delivery/{t}/" for t in tokens],
        "en/cases/status/": ["/{lang}/cases/status/"],
        "en/cases/statuses/": ["/{lang}/cases/statuses/"],
        "en/cases/alerts/": ["/{lang}/cases/alerts/"],  # POST only: 405 to the others
        "en/cases/alerts/sent/": ["/{lang}/cases/alerts/sent/"],
        "en/cases/alerts/confirm/<str:token>/": [f"/{{lang}}/cases/alerts/confirm/{t}/" for t in tokens],
        "en/cases/alerts/unsubscribe/<str:token>/": [f"/{{lang}}/cases/alerts/unsubscribe/{t}/" for t in tokens],
        "en/processing-times/": ["/{lang}/processing-times/"],
        "en/assistance/requests/<str:token>/": [f"/{{lang}}/assistance/requests/{t}/" for t in tokens],
        "en/assistance/<slug:post>/": [f"/{{lang}}/assistance/{s}/" for s in slugs],
        "en/inquiries/": ["/{lang}/inquiries/", *(
            f"/{{lang}}/inquiries/?post={s}&route=interview&route_start=2026-01-05" for s in slugs)],
        "en/inquiries/ask/": ["/{lang}/inquiries/ask/"],
        "en/inquiries/<str:token>/": [f"/{{lang}}/inquiries/{t}/" for t in tokens],
        "en/inquiries/<str:token>/withdraw/": [f"/{{lang}}/inquiries/{t}/withdraw/" for t in tokens],
    }
    assert sorted(table) == public_routes(), "a public route is missing from this table"
    return [path for paths in table.values() for path in paths] + ["/healthz", "/readyz"]


def test_hostile_values_in_every_query_parameter_of_every_public_page(client, policies):
    for path in page_paths():
        for index, (name, value) in enumerate(HOSTILE.items()):
            url = path.format(lang=LANGUAGES[index % len(LANGUAGES)])
            raw = quote_from_bytes(value)
            no_500(client.get(url + "?" + query([(p, raw) for p in QUERY_PARAMETERS])), f"{url} {name}")
        no_500(client.get(url + "?post=tokyo&post=%00&next=/en/&next=x&members=2&members=%00"), f"{url} twice")
    for path in ["/healthz", "/readyz", "/en/fraud/received/x/", "/en/"]:
        no_500(client.post(path, {"post": "\x00"}), f"POST {path}")


def test_the_language_switch_takes_hostile_values(client, posts):
    for name, value in HOSTILE.items():
        for field in ("language", "next"):
            data = {"language": b"ja", "next": b"/ja/", field: value}
            no_500(send(client, "/i18n/setlang/", list(data.items())), f"setlang {field} {name}")


def form_names():
    return ["feedback", "fraud", *expedite_slugs(), *in_person_forms(), *assistance_forms(), INQUIRY]


def test_hostile_values_in_every_field_of_every_public_form(client, policies):
    """Each field alone, the others valid so that every check after it runs (in the long request form: NUL
    alone, the other values all at once), then every field at once; in each form and every post's."""
    quick = QuickClient()
    sent = 0
    for form in form_names():
        names = field_names(form, member_rows=1)
        small = form in ("feedback", "fraud", *in_person_forms(), *assistance_forms(), INQUIRY)  # each alone
        alone = HOSTILE if small else {"nul": HOSTILE["nul"]} if form in ("tokyo", "shanghai") else {}
        variants = [(label, {name: value for name in names}) for label, value in HOSTILE.items()]
        variants += [(f"{label} in {name}", {**valid_data(form, number=sent + n), name: value})
                     for label, value in alone.items() for n, name in enumerate(names)]
        for index, (label, data) in enumerate(variants):
            sent += 1
            counts = row_counts()
            url = form_url(form, LANGUAGES[index % len(LANGUAGES)])
            response = no_500(send(quick, url, list(data.items()), files=() if small else proof_files()),
                              f"{form}: {label}")
            if not is_success(form, response):
                assert row_counts() == counts, f"{form}: {label}: rows written for a refused form"
    assert sent > 150  # the loops really ran


def test_a_valid_submission_of_each_form_is_accepted(client, policies):
    """The base the hostile tests start from is valid: without this they could test only a refused form."""
    for number, form in enumerate(form_names()):
        files = proof_files() if form in expedite_slugs() else ()
        response = send(client, form_url(form), list(valid_data(form, number=number).items()), files=files)
        assert is_success(form, response), (form, response.status_code)
    assert ExpediteRequest.objects.count() == len(expedite_slugs())
    assert InPersonRequest.objects.count() == len(in_person_forms())
    assert LiveAssistanceRequest.objects.count() == len(assistance_forms())
    assert Inquiry.objects.filter(status="open").count() == 1


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "HEAD"])
def test_every_public_page_answers_any_method_without_an_error(client, policies, method):
    for path in page_paths()[::3]:
        url = path.format(lang="en")
        no_500(client.generic(method, url, b"rating=3", content_type="application/x-www-form-urlencoded"), url)
        no_500(client.generic(method, url, b"rating=3", content_type="text/plain; charset=utf-16"), url)


@pytest.mark.parametrize("value", ["\x00", "ja;q=\x00", "x" * 10_000, "*;q=9" * 2000, "zh-hans;q=1e309,ja"])
def test_hostile_headers_are_no_error(client, posts, value):
    for path in ["/", "/en/", "/en/contact/"]:
        no_500(client.get(path, headers={"accept-language": value}), f"Accept-Language {path}")
        no_500(client.get(path, headers={"cookie": f"portal_post={value}; csrftoken={value}"}), f"Cookie {path}")
        no_500(client.get(path, headers={"x-forwarded-for": value}), f"X-Forwarded-For {path}")
    no_500(client.post("/en/feedback/", {"rating": "3"}, headers={"cookie": f"csrftoken={value}"}), "csrf cookie")
