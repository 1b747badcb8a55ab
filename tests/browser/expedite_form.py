"""Filling the expedite request form in Chromium, as an applicant does."""

import datetime as dt

from tests.factories import local_today, pdf_bytes


def tick(page, label):
    """USWDS draws its own boxes and hides the inputs: a person clicks the label."""
    page.locator(f'label:text-is("{label}")').click()


def answer_first_step(page, *, region="CN-JS", reason="Students (F, M, J visas)"):
    """The request's first step: the qualifying questions, answered so the rest of the form follows."""
    page.locator("select[name=residence_region]").select_option(region)
    page.locator("input[name=refused_recently][value=no] + label").click()
    tick(page, reason)
    page.locator('button[type=submit]:text-is("Continue")').click()


def fill_shanghai(page, policy, *, tmp_path, region="CN-JS", carried=False):
    """Fill the Shanghai request form as a student would, with a 1-page PDF as proof. ``carried``: the form
    reached from its first step, which already asked the reason and the region."""
    today = local_today(policy.post)
    tick(page, "One applicant")
    if not carried:
        tick(page, "Students (F, M, J visas)")
    page.get_by_label("Intended travel date").fill((today + dt.timedelta(days=20)).isoformat())
    page.get_by_label("Start date of your programme or classes").fill((today + dt.timedelta(days=25)).isoformat())
    page.get_by_label("Detailed justification").fill("My classes start before my interview date.")
    page.locator("#id_full_name").fill("Li Wei")
    page.locator("#id_date_of_birth").fill("2002-04-05")
    page.get_by_label("Passport number").fill("E12345678")
    page.get_by_label("Visa class", exact=True).select_option("F1")
    page.locator("#id_ds160_number").fill("AA00ABC123")
    page.get_by_label("Phone", exact=True).fill("+86 21 3881 4611")
    page.get_by_label("Email", exact=True).fill("li.wei@example.com")
    page.get_by_label("Date of your current interview").fill((today + dt.timedelta(days=60)).isoformat())
    page.get_by_label("Time of your current interview").fill("09:30")
    page.get_by_label("Appointment number").fill("SH-20240001")
    tick(page, "No previous US visa application")
    if not carried:
        page.get_by_label("Province or region where you live").select_option(region)
    tick(page, "I have lived in this province or region for the past 6 months.")
    page.get_by_label("Places of residence in the past 6 months").fill("Nanjing, since 2020")
    page.get_by_label("Places of work in the past 6 months").fill("Nanjing University, since 2020")
    page.locator("label[for=id_renewal_eligible_0]").click()
    page.locator("label[for=id_previous_expedite_declared_0]").click()
    proof = tmp_path / "i20.pdf"
    proof.write_bytes(pdf_bytes(1))
    page.locator("#id_proof").set_input_files(str(proof))
    tick(page, "English")
