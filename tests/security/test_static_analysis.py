"""The portal's code under bandit: nothing of medium or higher severity that is not explained.

Ruff's ``S`` rules (flake8-bandit, in ``make lint``) already refuse such code unless a line says why with
``# noqa: S<code> - <why>``. Here bandit itself reads the code, so a finding ruff does not know of, or a
suppression that gives no reason, fails the suite."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.pure

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["consular_portal", "appointments", "passports", "inquiries"]
# bandit's test id -> ruff's rule for the same pattern, where the number differs
RUFF_RULE = {"B703": "S308"}
SUPPRESSION = re.compile(r"#\s*noqa:\s*(?P<codes>S\d+(?:\s*,\s*[A-Z]+\d+)*)(?P<reason>.*)$")


def bandit_findings():
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-r", *PACKAGES, "-x", "*/migrations/*", "-ll", "-f", "json"],
        cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode in (0, 1), result.stderr  # 1: findings were reported
    return json.loads(result.stdout)["results"]


def suppressions(path):
    """{line number: (codes, reason)} of the file's ``noqa: S…`` comments."""
    found = {}
    for number, line in enumerate((ROOT / path).read_text().splitlines(), start=1):
        if match := SUPPRESSION.search(line):
            codes = {code.strip() for code in match["codes"].split(",")}
            found[number] = (codes, match["reason"].strip(" -–—:"))
    return found


def test_every_medium_or_high_finding_of_bandit_is_a_suppressed_and_explained_ruff_finding():
    unexplained = []
    for finding in bandit_findings():
        assert finding["issue_severity"] in ("MEDIUM", "HIGH")
        rule = RUFF_RULE.get(finding["test_id"], "S" + finding["test_id"][1:])
        path = Path(finding["filename"]).as_posix()
        lines = finding["line_range"]
        # the statement's lines, and the line after it (a closing bracket may carry the comment)
        nearby = range(min(lines), max(lines) + 2)
        marks = suppressions(path)
        if not any(rule in marks.get(number, ((), ""))[0] and marks[number][1] for number in nearby):
            unexplained.append(f"{path}:{min(lines)} {finding['test_id']} {finding['issue_text']}")
    assert not unexplained, "\n".join(unexplained)


def test_every_suppressed_security_rule_says_why():
    silent = [f"{path.relative_to(ROOT)}:{number}"
              for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
              if "migrations" not in path.parts
              for number, (_codes, reason) in suppressions(path.relative_to(ROOT)).items() if not reason]
    assert not silent, "a `# noqa: S…` without its reason:\n" + "\n".join(silent)
