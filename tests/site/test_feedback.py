"""The anonymous survey: what it stores (nothing personal), what it refuses, what staff see."""

import pytest

from consular_portal.feedback import rating_counts, survey_submit
from consular_portal.models import SurveyResponse
from tests.form_data import survey_form_data

pytestmark = pytest.mark.django_db

CLIENT = {"REMOTE_ADDR": "203.0.113.77", "HTTP_USER_AGENT": "SurveyBrowser/1.0 (Hanako's phone)"}


def test_an_answer_is_stored_without_anything_about_who_sent_it(client, posts):
    response = client.post(
        "/ja/feedback/",
        survey_form_data(comments="  Quick and clear.  "),
        **CLIENT,
    )
    assert response.status_code == 302 and response["Location"] == "/ja/feedback/thanks/"
    [answer] = SurveyResponse.objects.all()
    assert (answer.rating, answer.service, answer.post.slug, answer.comments, answer.language) == (
        4, "passport_tracking", "osaka-kobe", "Quick and clear.", "ja"
    )
    stored = {field.name for field in SurveyResponse._meta.get_fields()}
    assert stored == {"id", "created_at", "updated_at", "rating", "comments", "service", "post", "language"}
    values = " ".join(str(value) for value in SurveyResponse.objects.values().get().values())
    assert "203.0.113.77" not in values and "SurveyBrowser" not in values
    assert "sessionid" not in response.cookies  # no session ties the answer to a browser


def test_only_the_rating_is_needed(client, posts):
    assert client.post("/en/feedback/", {"rating": "1"}).status_code == 302
    answer = SurveyResponse.objects.get()
    assert (answer.rating, answer.service, answer.post, answer.comments) == (1, "", None, "")


def errors_of(response):
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' in html
    return html


def test_missing_rating_shows_the_form_with_a_linked_error(client, posts):
    html = errors_of(client.post("/en/feedback/", {"comments": "hello"}))
    assert '<a href="#id_rating_0">Choose how satisfied you are.</a>' in html
    assert "hello</textarea>" in html  # what was typed is kept
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"rating": "9"},
        {"rating": "five"},
        {"rating": "3", "service": "bribery"},
        {"rating": "3", "post": "atlantis"},
        {"rating": "3", "comments": "x" * 100_000},
        {"rating": "3", "comments": "bell\x07 and escape\x1b[31m"},
        {"rating": "3", "comments": "nul\x00byte"},
        {"rating": ["3", "4", "x" * 100_000], "service": ["\x00"]},
    ],
)
def test_bad_input_gets_the_form_with_errors_and_stores_nothing(client, posts, data):
    errors_of(client.post("/en/feedback/", data))
    assert not SurveyResponse.objects.exists()


def test_too_long_comments_are_explained(client, posts):
    html = errors_of(client.post("/en/feedback/", {"rating": "3", "comments": "x" * 100_000}))
    assert "Ensure this value has at most 2000 characters (it has 100000)." in html


def test_control_characters_are_explained_in_japanese(client, posts):
    html = errors_of(client.post("/ja/feedback/", {"rating": "3", "comments": "a\x1bb"}))
    assert "目に見えない制御文字を削除してください" in html


def test_line_breaks_and_tabs_are_fine(client, posts):
    assert client.post("/en/feedback/", survey_form_data(comments="one\r\ntwo\tthree")).status_code == 302
    assert SurveyResponse.objects.get().comments == "one\ntwo\tthree"  # stored as typed, line break as LF


def test_rating_counts_include_ratings_nobody_gave(posts):
    for rating in (5, 5, 4, 1):
        survey_submit(rating=rating, language="en")
    assert [(value, count) for value, _label, count in rating_counts()] == [(5, 2), (4, 1), (3, 0), (2, 0), (1, 1)]
    assert [count for _v, _l, count in rating_counts(SurveyResponse.objects.filter(rating__gte=4))] == [2, 1, 0, 0, 0]


def test_admin_shows_the_count_per_rating_for_the_filtered_answers(client, posts, officer_tokyo):
    for rating in (5, 5, 3, 1):
        survey_submit(rating=rating, language="en", post=posts["tokyo"] if rating == 5 else None)
    client.force_login(officer_tokyo)  # an officer of Tokyo sees Tokyo's answers and those naming no post
    html = client.get("/admin/consular_portal/surveyresponse/").content.decode()
    assert 'id="rating-counts"' in html
    assert "<th scope=\"row\">Very satisfied</th><td>2</td>" in html
    assert "<th scope=\"row\">Neither satisfied nor dissatisfied</th><td>1</td>" in html
    assert "<th scope=\"row\">Total</th><td>4</td>" in html
    filtered = client.get("/admin/consular_portal/surveyresponse/", {"rating__exact": "5"}).content.decode()
    assert "<th scope=\"row\">Total</th><td>2</td>" in filtered
    # Officers read answers; nobody edits them.
    answer = SurveyResponse.objects.first()
    assert client.get(f"/admin/consular_portal/surveyresponse/{answer.pk}/change/").status_code == 200
    assert client.post(f"/admin/consular_portal/surveyresponse/{answer.pk}/change/", {"rating": 1}).status_code == 403


def test_the_survey_asks_about_every_service_a_post_offers_by_the_same_name(client, posts):
    from consular_portal.models import Post

    html = client.get("/en/feedback/").content.decode()
    for service in Post.Service:
        assert f'<option value="{service.value}">{service.label}</option>' in html
    assert '<option value="call_center">Call center, email or chat</option>' in html
