"""The proof inputs in Chromium: named by their labels in the page's language, with no English text written
over them by a script, and the page no wider than a phone's screen (the browser's own file control)."""

import re

import pytest
from playwright.sync_api import expect


def translated(language, text):
    from django.utils import translation

    with translation.override(language):
        return translation.gettext(text)

@pytest.mark.parametrize("language", ["en", "ja", "zh-hans"])
def test_proof_inputs_are_named_by_their_labels_in_the_pages_language(phone_page, live_server, shanghai_policy,
                                                                       language):
    phone_page.goto(f"{live_server.url}/{language}/appointments/shanghai/request/")
    phone_page.wait_for_load_state("load")
    for field, label in [("proof", "Proof"), ("proof_second_page", "Second page of proof")]:
        control = phone_page.locator(f"#id_{field}")
        # The label's text, then at most the "(optional)" marker: nothing written over it by a script.
        expect(control).to_have_accessible_name(re.compile("^" + re.escape(translated(language, label))))
    text = phone_page.locator("main").inner_text()
    for english in ["Drag file", "choose from folder", "Choose from folder", "No file selected"]:
        assert english not in text
    assert phone_page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
