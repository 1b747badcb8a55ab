import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_chromium_loads_the_home_page(page, live_server, posts):
    response = page.goto(f"{live_server.url}/en/")
    assert response.status == 200
    assert page.locator("h1").first.inner_text()
    assert "U.S. Embassy Tokyo" in page.content()
