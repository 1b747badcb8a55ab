"""Translations of the text the seeded posts carry (names, phone labels, notes).

Posts are data that officers edit in English; the seeded wording is marked here so the catalogues translate
it. Text an officer has changed has no translation and is shown as written.
"""

from django.utils.translation import gettext, gettext_noop

SEEDED_TEXT = [
    gettext_noop("U.S. Embassy Tokyo"),
    gettext_noop("U.S. Consulate General Osaka-Kobe"),
    gettext_noop("U.S. Consulate General Sapporo"),
    gettext_noop("U.S. Consulate Fukuoka"),
    gettext_noop("U.S. Consulate General Naha"),
    gettext_noop("U.S. Consulate General Shanghai"),
    gettext_noop("U.S. Embassy Beijing"),
    gettext_noop("U.S. Consulate General Guangzhou"),
    gettext_noop("U.S. Consulate General Shenyang"),
    gettext_noop("U.S. Consulate General Wuhan"),
    gettext_noop("In Japan"),
    gettext_noop("In the United States"),
    gettext_noop("Within China (Visa Call Center, PIN card from CITIC Bank)"),
    gettext_noop("From outside China"),
    gettext_noop("Closed on U.S. and Japanese holidays."),
]


def translated(text):
    """The text in the active language when it is seeded wording, else as written."""
    return gettext(text) if text else ""
