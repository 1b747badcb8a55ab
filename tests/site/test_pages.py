"""Every site page answers in each language with text in that language; `/` follows Accept-Language."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["", "contact/", "contact/?post=tokyo", "contact/?post=shanghai", "feedback/", "fraud/"]
# Text each page shows in each language (a translation missing from the catalogue fails here).
LANGUAGE_TEXT = {
    "en": ["Skip to main content", "Report fraud", "Consular Portal"],
    "ja": ["本文へスキップ", "詐欺を通報する", "領事ポータル"],
    "zh-hans": ["跳至主要内容", "举报欺诈", "领事服务门户"],
}
PAGE_TEXT = {
    "": {"en": "Visa services of the U.S. Embassy and Consulates", "ja": "米国大使館・領事館のビザサービス",
         "zh-hans": "美国使领馆签证服务"},
    "contact/": {"en": "Choose your embassy or consulate", "ja": "大使館・領事館を選ぶと",
                 "zh-hans": "请选择您的使领馆"},
    "contact/?post=tokyo": {"en": "Hours of operation", "ja": "受付時間", "zh-hans": "办公时间"},
    "contact/?post=shanghai": {"en": "has not published hours", "ja": "受付時間を公表していません",
                               "zh-hans": "未公布电话和电子邮件服务的办公时间"},
    "feedback/": {"en": "Overall, how satisfied are you", "ja": "どの程度満足されましたか",
                  "zh-hans": "您对我们的服务满意吗"},
    "fraud/": {"en": "Tell us what happened", "ja": "起きたことを詳しくお書きください",
               "zh-hans": "请告诉我们发生了什么"},
}


@pytest.mark.parametrize("language", ["en", "ja", "zh-hans"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_answers_in_each_language(client, posts, language, page):
    response = client.get(f"/{language}/{page}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    for text in LANGUAGE_TEXT[language]:
        assert text in html
    assert PAGE_TEXT[page.split("&")[0]][language] in html


@pytest.mark.parametrize(
    ("accept_language", "prefix"),
    [("ja-JP,ja;q=0.9,en;q=0.5", "/ja/"), ("zh-CN,zh;q=0.9", "/zh-hans/"), ("en-US,en;q=0.9", "/en/"),
     ("fr-FR", "/en/")],
)
def test_root_redirects_by_accept_language(client, accept_language, prefix):
    response = client.get("/", headers={"accept-language": accept_language})
    assert response.status_code == 302
    assert response["Location"] == prefix


def test_home_lists_each_posts_services_with_links(client, posts):
    html = client.get("/en/").content.decode()
    assert "U.S. Embassy Tokyo" in html and "U.S. Consulate General Shanghai" in html
    assert 'href="/en/appointments/tokyo/"' in html
    assert "Track your passport" in html and "Ask about a pending visa application" in html
    assert 'href="/en/passports/status/"' in html and 'href="/en/passports/statuses/"' in html
    assert 'href="/en/inquiries/"' in html
    assert client.get("/en/inquiries/").status_code == 200, "every service link leads to its page"
    assert 'href="/en/appointments/shanghai/"' in html
    assert "does not offer online visa services" in html  # Beijing and the other China posts


def test_every_link_on_the_home_page_leads_somewhere(client, posts):
    import re

    html = client.get("/en/").content.decode()
    for href in set(re.findall(r'href="(/[^"]*)"', html)):
        if href.startswith("/static/"):
            continue
        assert client.get(href).status_code == 200, href


def test_post_names_are_translated(client, posts):
    assert "在日米国大使館" in client.get("/ja/").content.decode()
    assert "美国驻上海总领事馆" in client.get("/zh-hans/").content.decode()


def test_language_switcher_keeps_the_page(client, posts):
    response = client.post("/i18n/setlang/", {"language": "ja", "next": "/en/contact/?post=naha"})
    assert response.status_code == 302
    assert response["Location"] == "/ja/contact/?post=naha"


def test_post_selector_remembers_the_post_and_goes_back(client, posts):
    response = client.get("/en/post/", {"post": "naha", "next": "/en/feedback/"})
    assert response.status_code == 302 and response["Location"] == "/en/feedback/"
    assert response.cookies["portal_post"].value == "naha"
    html = client.get("/en/contact/").content.decode()
    assert "Contact U.S. Consulate General Naha" in html
    assert '<option value="naha" selected>' in client.get("/en/feedback/").content.decode()


def test_post_selector_ignores_unknown_posts_and_foreign_next(client, posts):
    response = client.get("/en/post/", {"post": "atlantis", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/en/contact/"
    assert "portal_post" not in response.cookies


def test_contact_page_of_an_unknown_post_shows_the_list(client, posts):
    response = client.get("/en/contact/", {"post": "x" * 5000})
    assert response.status_code == 200
    assert "Choose your embassy or consulate" in response.content.decode()


def test_contact_page_shows_phones_email_and_the_fraud_warning(client, posts):
    html = client.get("/en/contact/?post=tokyo").content.decode()
    assert 'href="tel:05055332737"' in html and "050-5533-2737" in html
    assert 'href="tel:+17035202233"' in html
    assert "mailto:visa-tokyo@consular-portal.example" in html
    assert "will not instruct you to pay your MRV fee over the phone" in html
    assert 'href="/en/fraud/"' in html


@pytest.mark.parametrize("path", ["/en/", "/en/contact/", "/en/feedback/thanks/"])
def test_read_only_pages_refuse_other_methods(client, posts, path):
    assert client.post(path).status_code == 405
    assert client.put(path).status_code == 405
    assert client.head(path).status_code == 200


@pytest.mark.parametrize("path", ["/en/feedback/", "/en/fraud/"])
def test_forms_refuse_put_and_delete(client, posts, path):
    assert client.put(path, data="x").status_code == 405
    assert client.delete(path).status_code == 405


def test_pages_have_no_inline_scripts_or_styles_and_send_a_csp(client, posts):
    response = client.get("/en/feedback/")
    html = response.content.decode()
    assert "<script>" not in html and "<style" not in html and " style=" not in html
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_fraud_received_page_needs_a_valid_token(client, posts):
    assert client.get("/en/fraud/received/not-a-token/").status_code == 404
