#!/usr/bin/env python
"""Fill empty entries of the ja and zh_Hans catalogues from a translations file and compile them.

Usage: scripts/fill_translations.py TRANSLATIONS.py [LOCALE_DIR]
TRANSLATIONS.py defines T = {msgid: (japanese, chinese)}. Entries already translated are kept; the
fuzzy flag is cleared on entries filled here. The compiled .mo files are written beside the .po files.
"""

import runpy
import sys
from pathlib import Path

import polib


def main(translations_file, locale_dir="locale"):
    table = runpy.run_path(translations_file)["T"]
    for column, language in enumerate(["ja", "zh_Hans"]):
        path = Path(locale_dir) / language / "LC_MESSAGES" / "django.po"
        catalogue = polib.pofile(str(path))
        for entry in catalogue:
            if entry.msgid in table and (not entry.msgstr or "fuzzy" in entry.flags):
                entry.msgstr = table[entry.msgid][column]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
        catalogue.save()
        catalogue.save_as_mofile(str(path.with_suffix(".mo")))
        missing = [e.msgid for e in catalogue if not e.msgstr and not e.obsolete]
        print(f"{path}: {len(catalogue) - len(missing)} translated, {len(missing)} missing")
        for msgid in missing:
            print(f"  missing: {msgid!r}")


if __name__ == "__main__":
    main(*sys.argv[1:])
