"""CloudWatch Logs filter patterns as CloudWatch reads them, for moto's FilterLogEvents.

moto serves CloudWatch Logs from its own backend; only its filter-pattern parser falls
short: it understands one bare term list or one quoted phrase, and reads anything else
(``"ERROR" -"/ping"``, ``-"/ping"``, ``?a ?b``) as "match everything" or as one phrase that
matches nothing. The logs view pushes exactly such patterns down, so this replaces the parser
with the term syntax of
https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html :
terms (bare or double-quoted, case-sensitive) must all appear, ``-term`` must not, and
``?term`` terms match when any of them appears. JSON (``{ $.x = 1 }``), space-delimited
(``[a, b]``) and regex (``%…%``) patterns stay moto's (they match everything).
"""

from __future__ import annotations

import re

import moto.logs.models

_TOKEN = re.compile(r'([-?]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))')


class TermFilter:
    """One term-syntax filter pattern (see the module docstring)."""

    def __init__(self, pattern: str | None) -> None:
        self.pattern = (pattern or "").strip()
        self.unsupported = self.pattern[:1] in ("{", "[", "%")
        self.all: list[str] = []
        self.none: list[str] = []
        self.any: list[str] = []
        if self.unsupported:
            return
        for sign, quoted, bare in _TOKEN.findall(self.pattern):
            term = quoted.replace('\\"', '"') if quoted else bare
            {"": self.all, "-": self.none, "?": self.any}[sign].append(term)

    def matches(self, message: str) -> bool:
        if self.unsupported or not self.pattern:
            return True
        if any(term not in message for term in self.all):
            return False
        if any(term in message for term in self.none):
            return False
        return not self.any or any(term in message for term in self.any)


def install_filter_patterns() -> None:
    """Make moto's FilterLogEvents read term patterns as CloudWatch does (idempotent)."""
    setattr(moto.logs.models, "EventMessageFilter", TermFilter)  # noqa: B010 (replaces moto's class)
