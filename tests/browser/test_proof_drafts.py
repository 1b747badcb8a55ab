"""The proof kept when the request form comes back with errors, in Chromium: on a phone with the USWDS script,
read by axe, removed with its box, and sent without choosing the file again."""

from appointments.models import ExpediteRequest

from .conftest import axe_violations
from .expedite_form import fill_shanghai, tick
from .test_expedite_accessibility import scrolls_sideways, submit


def sent_back_without_email(page, live_server, policies, tmp_path):
    page.goto(f"{live_server.url}/en/appointments/shanghai/request/")
    fill_shanghai(page, policies["shanghai"], tmp_path=tmp_path)
    page.get_by_label("Email", exact=True).fill("")
    submit(page)
    page.wait_for_selector("#error-summary")


def test_on_a_phone_the_kept_proof_is_named_and_the_request_goes_without_choosing_it_again(
        phone_page, live_server, policies, tmp_path):
    page = phone_page
    sent_back_without_email(page, live_server, policies, tmp_path)
    assert "We kept the proof you already sent" in page.locator("#kept-proof").inner_text()
    assert page.locator("#kept-proof").inner_text().count("i20.pdf") == 1
    assert not scrolls_sideways(page)
    page.locator("#kept-proof").screenshot(path=str(tmp_path / "kept-proof.png"))
    page.get_by_label("Email", exact=True).fill("li.wei@example.com")
    submit(page)
    page.wait_for_selector("#submitted")
    assert [d.original_name for d in ExpediteRequest.objects.get().documents.all()] == ["i20.pdf"]


def test_the_kept_proof_has_no_wcag_violations_and_its_box_removes_it(axe_page, live_server, policies, tmp_path):
    sent_back_without_email(axe_page, live_server, policies, tmp_path)
    assert axe_violations(axe_page) == []
    tick(axe_page, "Remove i20.pdf")
    axe_page.get_by_label("Email", exact=True).fill("li.wei@example.com")
    submit(axe_page)
    assert "#id_proof" in axe_page.eval_on_selector_all("#error-summary a", "links => links.map(a => a.hash)")
    assert axe_page.locator("#kept-proof").count() == 0
    assert not ExpediteRequest.objects.exists()
