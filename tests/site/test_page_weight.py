"""What a first visit downloads: the home page and every file it refers to, compressed, under 100 KB; the
static files are precompressed (brotli and gzip) by collectstatic."""

import gzip
import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_reset():
    """A page in Japanese leaves Japanese active in this thread: the next test starts from the default."""
    yield
    translation.deactivate()
BUDGET = 100 * 1024


class Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.paths = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        url = attrs.get("src") if tag in ("script", "img") else attrs.get("href") if tag == "link" else None
        if url and url.startswith("/static/"):
            self.paths.append(url.removeprefix("/static/"))


def static_bytes(path):
    found = finders.find(path)
    assert found, f"{path} is not a static file"
    with open(found, "rb") as file:
        return file.read()


def first_visit(client, url):
    """{name: compressed bytes} of the page and every static file it or its stylesheets refer to."""
    response = client.get(url)
    weights = {url: len(gzip.compress(response.content, 9))}
    parser = Assets()
    parser.feed(response.content.decode())
    for path in parser.paths:
        content = static_bytes(path)
        weights[path] = len(gzip.compress(content, 9))
        if path.endswith(".css"):  # every image the stylesheet may use, whether this page shows it or not
            base = path.rsplit("/", 1)[0]
            for ref in set(re.findall(rb"url\(([^)\"']+)\)", content)):
                ref = ref.decode()
                if not ref.startswith("data:"):
                    target = re.sub(r"[^/]+/\.\./", "", f"{base}/{ref}")
                    weights.setdefault(target, len(gzip.compress(static_bytes(target), 9)))
    return weights


@pytest.mark.parametrize("url", ["/en/", "/ja/", "/zh-hans/"])
def test_the_first_visit_of_the_home_page_is_under_100_kb_compressed(client, posts, url):
    weights = first_visit(client, url)
    assert sum(weights.values()) < BUDGET, sorted(weights.items(), key=lambda item: -item[1])


def test_no_web_font_is_downloaded(client, posts):
    parser = Assets()
    parser.feed(client.get("/en/").content.decode())
    stylesheets = [static_bytes(path) for path in parser.paths if path.endswith(".css")]
    assert stylesheets and not any(b"@font-face" in css for css in stylesheets)
    assert not any(path.endswith((".woff", ".woff2", ".ttf")) for path in parser.paths)


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """STATIC_ROOT after the production collectstatic, run once for this module's tests (each run takes seconds;
    the tests only read what it wrote)."""
    from tests.test_settings import PRODUCTION_ENV, manage

    root = tmp_path_factory.mktemp("static")
    result = manage("collectstatic", "--noinput", "-v0", env={**PRODUCTION_ENV, "STATIC_ROOT": str(root)})
    assert result.returncode == 0, result.stderr
    return root


def test_collectstatic_writes_brotli_and_gzip_beside_each_hashed_file(collected):
    hashed = list((collected / "css").glob("uswds.purged.min.*.css"))
    assert hashed, sorted(p.name for p in (collected / "css").iterdir())
    for path in hashed:
        assert path.with_name(path.name + ".br").is_file() and path.with_name(path.name + ".gz").is_file()


def test_hashed_static_files_are_served_compressed_and_cached_for_ever(collected, settings):
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.http import HttpResponse
    from django.test import RequestFactory
    from whitenoise.middleware import WhiteNoiseMiddleware

    settings.STATIC_ROOT = collected
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    url = staticfiles_storage.url("css/uswds.purged.min.css")
    assert url != "/static/css/uswds.purged.min.css"  # the name carries the content's hash
    middleware = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
    for encoding in ("br", "gzip"):
        response = middleware(RequestFactory().get(url, headers={"accept-encoding": f"{encoding}, identity"}))
        assert response.status_code == 200 and response.headers["Content-Encoding"] == encoding
        assert "max-age=315360000" in response.headers["Cache-Control"]
        assert "immutable" in response.headers["Cache-Control"]
        response.close()
