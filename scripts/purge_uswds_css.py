#!/usr/bin/env python
"""Write static/css/uswds.purged.min.css: the vendored USWDS stylesheet cut down to what the portal uses.

Usage (development only, after changing templates or upgrading USWDS; commit the result):

    .venv/bin/python scripts/purge_uswds_css.py

A rule is kept when each of its selectors only names classes the portal uses: a ``usa-`` class counts as
used when its component (``usa-file-input`` for ``usa-file-input__box--drag``) appears anywhere in the
templates, the Python code or the USWDS and portal scripts, so the states USWDS's JavaScript adds are kept;
any other class (grid, utilities) must itself appear. Rules without classes (elements, attributes) stay.
The web fonts' ``@font-face`` rules are left out: text uses the system fonts (``static/css/portal.css``).
No Node, no dependency: a small parser of the minified stylesheet. The full release stays vendored.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor" / "uswds-3.14.0"
SOURCE = VENDOR / "css" / "uswds.min.css"
TARGET = ROOT / "static" / "css" / "uswds.purged.min.css"
SCANNED = ["templates/**/*.html", "*/templates/**/*.html", "*/*.py", "*/templatetags/*.py", "static/js/*.js",
           "static/vendor/uswds-3.14.0/js/*.js"]
CLASS_RE = re.compile(r"\.((?:\\.|[A-Za-z0-9_-])+)")
WORD_RE = re.compile(r"[A-Za-z0-9_:-]+")


def used_words():
    words = set()
    for pattern in SCANNED:
        for path in ROOT.glob(pattern):
            if ".venv" not in path.parts:
                words.update(WORD_RE.findall(path.read_text(encoding="utf-8", errors="replace")))
    return words


def component(name):
    return re.split(r"__|--", name)[0]


def split_top(text, separator):
    """Split at ``separator`` outside parentheses, brackets and strings."""
    parts, depth, quote, start = [], 0, None, 0
    for index, char in enumerate(text):
        if quote:
            if char == quote and text[index - 1] != "\\":
                quote = None
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def blocks(css):
    """Top-level items of a stylesheet: ('prelude', 'body') for blocks, (statement, None) for ``@x ...;``."""
    items, index, length = [], 0, len(css)
    while index < length:
        if css.startswith("/*", index):
            end = css.index("*/", index) + 2
            items.append((css[index:end], None))
            index = end
            continue
        start, quote = index, None
        while index < length:
            char = css[index]
            if quote:
                if char == quote and css[index - 1] != "\\":
                    quote = None
            elif char in "\"'":
                quote = char
            elif char in "{;":
                break
            index += 1
        if index >= length:
            break
        if css[index] == ";":
            items.append((css[start:index + 1], None))
            index += 1
            continue
        prelude, depth, body_start, quote = css[start:index], 1, index + 1, None
        index += 1
        while depth:
            char = css[index]
            if quote:
                if char == quote and css[index - 1] != "\\":
                    quote = None
            elif char in "\"'":
                quote = char
            elif char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            index += 1
        items.append((prelude, css[body_start:index - 1]))
    return items


def keep_selector(selector, words, components):
    for escaped in CLASS_RE.findall(selector):
        name = escaped.replace("\\", "")
        if name.startswith("usa-") and component(name) in components:
            continue
        if name not in words:
            return False
    return True


def purge(css, words, components):
    out = []
    for prelude, body in blocks(css):
        if body is None:
            out.append(prelude)  # @charset, comments (the licence)
            continue
        head = prelude.strip()
        if head.startswith("@font-face"):
            continue
        if head.startswith(("@media", "@supports", "@layer", "@container")):
            inner = purge(body, words, components)
            if inner:
                out.append(f"{head}{{{inner}}}")
        elif head.startswith("@"):
            out.append(f"{head}{{{body}}}")  # @keyframes and the like, kept whole
        else:
            selectors = [s for s in split_top(head, ",") if keep_selector(s, words, components)]
            if selectors:
                out.append(f"{','.join(s.strip() for s in selectors)}{{{body}}}")
    return "".join(out)


def main():
    words = used_words()
    components = {component(word) for word in words if word.startswith("usa-")}
    css = SOURCE.read_text(encoding="utf-8")
    purged = purge(css, words, components)
    # The file lives in static/css/: its url(../img/...) now point into the vendored release.
    purged = purged.replace("url(../img/", "url(../vendor/uswds-3.14.0/img/")
    purged = re.sub(r"url\(\.\./fonts/[^)]*\)", "none", purged)
    TARGET.write_text(purged + "\n", encoding="utf-8")
    print(f"{SOURCE.relative_to(ROOT)}: {len(css):,} bytes -> {TARGET.relative_to(ROOT)}: {len(purged):,} bytes")


if __name__ == "__main__":
    sys.exit(main())
