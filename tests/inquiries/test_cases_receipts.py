"""Receipt numbers as typed, the statuses' plain-language explanations and the online account's (pure)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from inquiries.case_forms import CaseLookupForm
from inquiries.case_statuses import (
    PAPER_ACCOUNT,
    TEXT,
    TRANSITIONS,
    CaseStatus,
    account_text,
)
from inquiries.receipts import PREFIXES, is_online_case, mask_receipt_number, parse_receipt_number


@pytest.mark.parametrize("typed, key", [
    ("EAC2112345678", "EAC2112345678"),
    ("eac2112345678", "EAC2112345678"),
    ("EAC-21-123-45678", "EAC2112345678"),
    ("  IOE 0912 345 678 ", "IOE0912345678"),
    ("ＷＡＣ２１１２３４５６７８", "WAC2112345678"),  # full-width, as some keyboards type it
    ("lin–21–1234–5678", "LIN2112345678"),  # an en dash pasted from a document
    *((f"{prefix}0000000001", f"{prefix}0000000001") for prefix in PREFIXES),
])
def test_valid_receipt_numbers_are_accepted_with_dashes_and_spaces(typed, key):
    assert parse_receipt_number(typed) == key
    form = CaseLookupForm({"number": typed})
    assert form.is_valid() and form.cleaned_data["number"] == key


@pytest.mark.parametrize("typed, message", [
    ("EAC211234567", "3 letters and 10 digits"),  # nine digits
    ("EAC21123456789", "3 letters and 10 digits"),  # eleven
    ("EA12112345678", "3 letters and 10 digits"),
    ("2112345678", "3 letters and 10 digits"),
    ("EAC21123456O8", "3 letters and 10 digits"),  # a letter O among the digits
    ("ABC2112345678", "begins with one of EAC, WAC, LIN, SRC, NBC, MSC, IOE, YSC"),
    ("ZZZ0000000000", "begins with one of"),
    ("", "Enter your receipt number"),
])
def test_invalid_receipt_numbers_get_a_clear_error_on_the_field(typed, message):
    form = CaseLookupForm({"number": typed})
    assert not form.is_valid()
    assert message in " ".join(form.errors["number"])
    if typed:
        with pytest.raises(ValidationError):
            parse_receipt_number(typed)


def test_an_ioe_number_explains_the_online_account_letter_any_other_how_to_add_a_paper_case():
    with translation.override("en"):
        online = " ".join(map(str, account_text("IOE0912345678").paragraphs))
        assert "user codes" in online and "valid for 90 days" in online and "automatic case alerts" in online
        for prefix in set(PREFIXES) - {"IOE"}:
            account = account_text(f"{prefix}2112345678")
            assert account is PAPER_ACCOUNT
            paper = " ".join(map(str, account.paragraphs))
            assert "add your paper-filed case" in paper and "automatic case alerts" in paper
            assert "user codes" not in paper
    assert is_online_case("IOE0912345678") and not is_online_case("EAC2112345678")


def test_every_status_has_a_meaning_and_advice_and_transitions_name_only_statuses():
    assert set(TEXT) == set(CaseStatus)
    for words in TEXT.values():
        assert str(words.meaning) and str(words.advice)
    assert set(TRANSITIONS) == set(CaseStatus)
    assert all(set(following) <= set(CaseStatus) for following in TRANSITIONS.values())
    assert CaseStatus.DOCUMENT_MAILED in TRANSITIONS[CaseStatus.APPROVED]
    assert CaseStatus.DOCUMENT_MAILED not in TRANSITIONS[CaseStatus.DENIED]


def test_a_masked_receipt_number_keeps_its_prefix_and_last_four_digits():
    assert mask_receipt_number("EAC2112345678") == "EAC••••5678"
