"""The crispy-forms USWDS template pack (templates/uswds/): each field type, rendered, compared as HTML."""

import re

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test.html import parse_html
from django.utils import translation

from consular_portal.templatetags.uswds_forms import layout_html

pytestmark = pytest.mark.pure


def assert_html_equal(actual, expected):
    assert parse_html(actual) == parse_html(expected), f"\nrendered:\n{actual}\nexpected:\n{expected}"


class EveryFieldForm(forms.Form):
    full_name = forms.CharField(label="Full name", help_text="As printed in your passport.", max_length=40)
    email = forms.EmailField(label="Email address", required=False)
    message = forms.CharField(label="Message", widget=forms.Textarea(attrs={"rows": 4}))
    post = forms.ChoiceField(label="Post", choices=[("", "Choose a post"), ("tokyo", "Tokyo"), ("naha", "Naha")])
    rating = forms.ChoiceField(
        label="Rating", choices=[("5", "Very good"), ("1", "Very poor")], widget=forms.RadioSelect,
        help_text="Choose one.",
    )
    services = forms.MultipleChoiceField(
        label="Services used", choices=[("visa", "Visa"), ("passport", "Passport")],
        widget=forms.CheckboxSelectMultiple, required=False,
    )
    travel_date = forms.DateField(label="Travel date")
    proof = forms.FileField(label="Proof")
    agree = forms.BooleanField(label="I confirm this is true")


def field_html(form, name):
    return Template("{% load crispy_forms_filters %}{{ field|as_crispy_field }}").render(
        Context({"field": form[name]})
    )


def invalid_form():
    return EveryFieldForm(data={"full_name": "", "rating": "3", "travel_date": "soon"})


def test_text_input_with_label_and_hint():
    assert_html_equal(
        field_html(EveryFieldForm(), "full_name"),
        """<div id="div_id_full_name" class="usa-form-group">
          <label class="usa-label" for="id_full_name">Full name</label>
          <div class="usa-hint" id="id_full_name-hint">As printed in your passport.</div>
          <input type="text" name="full_name" maxlength="40" class="usa-input"
                 aria-describedby="id_full_name-hint" required id="id_full_name">
        </div>""",
    )


def test_text_input_with_inline_error_described_by_hint_and_error():
    assert_html_equal(
        field_html(invalid_form(), "full_name"),
        """<div id="div_id_full_name" class="usa-form-group usa-form-group--error">
          <label class="usa-label usa-label--error" for="id_full_name">Full name</label>
          <div class="usa-hint" id="id_full_name-hint">As printed in your passport.</div>
          <span class="usa-error-message" id="id_full_name-error">This field is required.</span>
          <input type="text" name="full_name" maxlength="40" class="usa-input usa-input--error"
                 aria-describedby="id_full_name-hint id_full_name-error" aria-invalid="true" required
                 id="id_full_name">
        </div>""",
    )


def test_optional_email_input_says_optional():
    assert_html_equal(
        field_html(EveryFieldForm(), "email"),
        """<div id="div_id_email" class="usa-form-group">
          <label class="usa-label" for="id_email">Email address <span class="usa-hint">(optional)</span></label>
          <input type="email" name="email" maxlength="320" class="usa-input" id="id_email">
        </div>""",
    )


def test_textarea_with_error():
    assert_html_equal(
        field_html(invalid_form(), "message"),
        """<div id="div_id_message" class="usa-form-group usa-form-group--error">
          <label class="usa-label usa-label--error" for="id_message">Message</label>
          <span class="usa-error-message" id="id_message-error">This field is required.</span>
          <textarea name="message" cols="40" rows="4" class="usa-textarea usa-input--error"
                    aria-describedby="id_message-error" aria-invalid="true" required id="id_message">
          </textarea>
        </div>""",
    )


def test_select():
    assert_html_equal(
        field_html(EveryFieldForm(initial={"post": "naha"}), "post"),
        """<div id="div_id_post" class="usa-form-group">
          <label class="usa-label" for="id_post">Post</label>
          <select name="post" class="usa-select" id="id_post" required>
            <option value="">Choose a post</option>
            <option value="tokyo">Tokyo</option>
            <option value="naha" selected>Naha</option>
          </select>
        </div>""",
    )


def test_radios_are_a_fieldset_with_legend_hint_and_error():
    assert_html_equal(
        field_html(invalid_form(), "rating"),
        """<div id="div_id_rating" class="usa-form-group usa-form-group--error">
          <fieldset class="usa-fieldset" aria-describedby="id_rating-hint id_rating-error">
            <legend class="usa-legend usa-label--error">Rating</legend>
            <div class="usa-hint" id="id_rating-hint">Choose one.</div>
            <span class="usa-error-message" id="id_rating-error">
              Select a valid choice. 3 is not one of the available choices.</span>
            <div class="usa-radio">
              <input class="usa-radio__input" type="radio" name="rating" value="5" id="id_rating_0">
              <label class="usa-radio__label" for="id_rating_0">Very good</label>
            </div>
            <div class="usa-radio">
              <input class="usa-radio__input" type="radio" name="rating" value="1" id="id_rating_1">
              <label class="usa-radio__label" for="id_rating_1">Very poor</label>
            </div>
          </fieldset>
        </div>""",
    )


def test_checkboxes_keep_what_was_ticked():
    form = EveryFieldForm(data={"services": ["passport"]})
    assert_html_equal(
        field_html(form, "services"),
        """<div id="div_id_services" class="usa-form-group">
          <fieldset class="usa-fieldset">
            <legend class="usa-legend">Services used <span class="usa-hint">(optional)</span></legend>
            <div class="usa-checkbox">
              <input class="usa-checkbox__input" type="checkbox" name="services" value="visa" id="id_services_0">
              <label class="usa-checkbox__label" for="id_services_0">Visa</label>
            </div>
            <div class="usa-checkbox">
              <input class="usa-checkbox__input" type="checkbox" name="services" value="passport"
                     id="id_services_1" checked>
              <label class="usa-checkbox__label" for="id_services_1">Passport</label>
            </div>
          </fieldset>
        </div>""",
    )


def test_date_is_the_browsers_date_control_with_an_iso_value():
    form = EveryFieldForm(initial={"travel_date": "2026-05-01"})
    assert_html_equal(
        field_html(form, "travel_date"),
        """<div id="div_id_travel_date" class="usa-form-group">
          <label class="usa-label" for="id_travel_date">Travel date</label>
          <input type="date" name="travel_date" value="2026-05-01" class="usa-input" required id="id_travel_date">
        </div>""",
    )


def test_date_with_error_keeps_what_was_typed():
    assert_html_equal(
        field_html(invalid_form(), "travel_date"),
        """<div id="div_id_travel_date" class="usa-form-group usa-form-group--error">
          <label class="usa-label usa-label--error" for="id_travel_date">Travel date</label>
          <span class="usa-error-message" id="id_travel_date-error">Enter a valid date.</span>
          <input type="date" name="travel_date" value="soon" class="usa-input usa-input--error"
                 aria-describedby="id_travel_date-error" aria-invalid="true" required id="id_travel_date">
        </div>""",
    )


def test_file_input():
    form = EveryFieldForm(data={}, files={"proof": SimpleUploadedFile("a.pdf", b"%PDF-1.4")})
    assert_html_equal(
        field_html(form, "proof"),
        """<div id="div_id_proof" class="usa-form-group">
          <label class="usa-label" for="id_proof">Proof</label>
          <input type="file" name="proof" class="portal-file-input" required id="id_proof">
        </div>""",
    )


def test_single_checkbox_has_its_label_after_the_box():
    assert_html_equal(
        field_html(invalid_form(), "agree"),
        """<div id="div_id_agree" class="usa-form-group usa-form-group--error">
          <span class="usa-error-message" id="id_agree-error">This field is required.</span>
          <div class="usa-checkbox">
            <input type="checkbox" name="agree" class="usa-checkbox__input" aria-describedby="id_agree-error"
                   aria-invalid="true" required id="id_agree">
            <label class="usa-checkbox__label" for="id_agree">I confirm this is true</label>
          </div>
        </div>""",
    )


def test_error_summary_links_to_each_field_in_form_order():
    form = invalid_form()
    form.is_valid()
    form.add_error(None, "Something is wrong with the whole form.")
    html = Template("{% load crispy_forms_filters %}{{ form|as_crispy_errors }}").render(Context({"form": form}))
    assert_html_equal(
        html,
        """<div class="usa-alert usa-alert--error usa-error-summary" id="error-summary" role="alert"
               aria-labelledby="error-summary-heading" tabindex="-1" data-error-summary>
          <div class="usa-alert__body">
            <h2 class="usa-alert__heading" id="error-summary-heading">There is a problem</h2>
            <ul class="usa-list usa-list--unstyled">
              <li>Something is wrong with the whole form.</li>
              <li><a href="#id_full_name">This field is required.</a></li>
              <li><a href="#id_message">This field is required.</a></li>
              <li><a href="#id_post">This field is required.</a></li>
              <li><a href="#id_rating_0">Select a valid choice. 3 is not one of the available choices.</a></li>
              <li><a href="#id_travel_date">Enter a valid date.</a></li>
              <li><a href="#id_proof">This field is required.</a></li>
              <li><a href="#id_agree">This field is required.</a></li>
            </ul>
          </div>
        </div>""",
    )


def test_every_summary_link_points_at_a_control_on_the_page():
    form = invalid_form()
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))
    targets = re.findall(r'href="#([^"]+)"', html)
    assert len(targets) == 7
    for target in targets:
        assert f'id="{target}"' in html


class SurveyLikeForm(forms.Form):
    rating = forms.ChoiceField(label="Rating", choices=[("5", "Good"), ("1", "Poor")], widget=forms.RadioSelect)
    comments = forms.CharField(label="Comments", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "survey"
        self.helper.layout = Layout(Fieldset("Your visit", "rating", "comments"))
        self.helper.add_input(Submit("submit", "Send"))


def test_crispy_tag_renders_the_form_with_summary_fieldset_legend_and_button():
    form = SurveyLikeForm(data={})
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))
    assert_html_equal(
        html,
        """<form id="survey" class="usa-form usa-form--large" method="post" novalidate>
          <div class="usa-alert usa-alert--error usa-error-summary" id="error-summary" role="alert"
               aria-labelledby="error-summary-heading" tabindex="-1" data-error-summary>
            <div class="usa-alert__body">
              <h2 class="usa-alert__heading" id="error-summary-heading">There is a problem</h2>
              <ul class="usa-list usa-list--unstyled">
                <li><a href="#id_rating_0">This field is required.</a></li>
              </ul>
            </div>
          </div>
          <fieldset class="usa-fieldset">
            <legend class="usa-legend usa-legend--large">Your visit</legend>
            <div id="div_id_rating" class="usa-form-group usa-form-group--error">
              <fieldset class="usa-fieldset" aria-describedby="id_rating-error">
                <legend class="usa-legend usa-label--error">Rating</legend>
                <span class="usa-error-message" id="id_rating-error">This field is required.</span>
                <div class="usa-radio">
                  <input class="usa-radio__input" type="radio" name="rating" value="5" id="id_rating_0">
                  <label class="usa-radio__label" for="id_rating_0">Good</label>
                </div>
                <div class="usa-radio">
                  <input class="usa-radio__input" type="radio" name="rating" value="1" id="id_rating_1">
                  <label class="usa-radio__label" for="id_rating_1">Poor</label>
                </div>
              </fieldset>
            </div>
            <div id="div_id_comments" class="usa-form-group">
              <label class="usa-label" for="id_comments">Comments <span class="usa-hint">(optional)</span></label>
              <textarea name="comments" cols="40" rows="3" class="usa-textarea" id="id_comments"></textarea>
            </div>
          </fieldset>
          <div class="usa-form-group portal-form-actions">
            <button type="submit" class="usa-button" name="submit" value="Send" id="submit-id-submit">Send</button>
          </div>
        </form>""",
    )


def test_crispy_filter_renders_fields_without_a_form_tag():
    html = Template("{% load crispy_forms_filters %}{{ form|crispy }}").render(Context({"form": SurveyLikeForm()}))
    assert "<form" not in html
    assert 'class="usa-radio__input"' in html and 'class="usa-textarea"' in html
    assert "error-summary" not in html


def test_form_without_errors_has_no_summary_and_csrf_with_a_request():
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(
        Context({"form": SurveyLikeForm(), "request": request, "csrf_token": "token-value"})
    )
    assert 'name="csrfmiddlewaretoken"' in html
    assert "usa-alert--error" not in html


@pytest.mark.parametrize(("language", "summary", "optional"), [
    ("ja", "問題があります", "（任意）"),
    ("zh-hans", "出现问题", "（选填）"),
])
def test_pack_text_is_translated(language, summary, optional):
    with translation.override(language):
        html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(
            Context({"form": SurveyLikeForm(data={})})
        )
    assert summary in html
    assert optional in html


def test_a_form_sent_back_writes_its_empty_fields_from_kept_markup_as_it_would_write_them():
    """``layout_html`` with ``kept``: each field of a form sent back reads the same as written afresh, for
    every kind of field, with each form's own messages and values; what was typed is never kept."""
    helper = FormHelper()
    helper.layout = Layout(Fieldset("Everything", *EveryFieldForm.base_fields))
    kept = {}
    first = EveryFieldForm(data={"full_name": "Wang Wei", "rating": "3", "travel_date": "soon"})
    second = EveryFieldForm(data={"message": "Line <one>", "services": ["visa"], "email": "not-an-address"})
    for form in (first, second, first, second):
        assert layout_html(form, helper, kept=kept) == layout_html(form, helper)
    typed = "".join(markup for parts in kept.values() for markup in parts)
    for value in ("Wang Wei", "soon", "Line &lt;one&gt;", "not-an-address", "not one of the available"):
        assert value not in typed
    assert "This field is required." not in typed
    assert "Wang Wei" in layout_html(first, helper, kept=kept)
    assert 'id="id_full_name-error">This field is required.' in layout_html(second, helper, kept=kept)
