"""Browser contexts for the site pages: axe-core (CSP bypassed to inject it), a 375 px phone, JavaScript off."""

from pathlib import Path

import pytest

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _page(browser, **options):
    context = browser.new_context(locale="en-US", **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def axe_page(browser):
    """A page that can run axe-core: the script is injected, so the page's CSP is bypassed here only."""
    context, page = _page(browser, bypass_csp=True)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """375 px wide, as a small phone; the page's CSP applies."""
    context, page = _page(browser, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    yield page
    context.close()


@pytest.fixture
def no_js_page(browser):
    context, page = _page(browser, java_script_enabled=False)
    yield page
    context.close()


def axe_violations(page):
    """WCAG 2.0/2.1 A and AA violations on the current page, as readable strings."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
        WCAG_21_AA,
    )
    return [
        f"{v['id']}: {v['help']} at {[node['target'] for node in v['nodes']]}" for v in violations
    ]


class PageProblems:
    """Collects what a page should never do: CSP violations, console errors, failed requests for our files."""

    def __init__(self, page):
        self.items = []
        page.on("console", self._console)
        page.on("response", self._response)
        page.on("requestfailed", self._failed)

    def _console(self, message):
        if message.type == "error" or "Content Security Policy" in message.text:
            self.items.append(f"console {message.type}: {message.text}")

    def _failed(self, request):
        if request.failure != "net::ERR_ABORTED":  # a navigation cut short what the last page was loading
            self.items.append(f"request failed ({request.failure}): {request.url}")

    def _response(self, response):
        if response.status >= 400:
            self.items.append(f"{response.status} {response.url}")


@pytest.fixture
def watch():
    return PageProblems
