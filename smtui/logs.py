"""The log file: under the platformdirs state directory, mode 0600, bounded, and redacted.

A bastion host is shared, and a log is the first thing pasted into a ticket, so nothing that
grants access may reach it: access keys, secret keys, session tokens, signatures and whole
presigned URLs are replaced before a record is written.

Two nets, both in :func:`redact`: by label and shape (``SessionToken=…``, ``AKIA…``, a
presigned query string), and by value. The AWS layer hands over the credentials it is using
(and every presigned URL smtui mints) with :func:`note_secrets`; from then on each of those
values, raw or URL-encoded, is cut out wherever it appears: an endpoint that echoes the request
headers back in an error, a bare secret key in a proxy's message, a draft.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import re
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from smtui.config import refuse_symlink, state_dir

LOG_NAME = "smtui.log"
MAX_BYTES = 1_000_000
BACKUPS = 2

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Presigned URLs (MLflow, Studio, notebooks): the whole query string (or a fragment that
    # carries the token, "#authToken=…") is a credential.
    (
        re.compile(r"(https?://[^\s\"'?#]+)([?#])[^\s\"']*(?:X-Amz-|authToken|Signature|token)[^\s\"']*", re.I),
        r"\1\2<redacted>",
    ),
    (re.compile(r"\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{16}\b"), "<access-key>"),
    (
        re.compile(
            r"(?i)(aws_secret_access_key|secret_?access_?key|SecretAccessKey|aws_session_token|session_?token|"
            r"SessionToken|x-amz-security-token|auth_?token|authorization|password)(['\"]?\s*[:=]\s*['\"]?)([^\s'\",}]+)"
        ),
        r"\1\2<redacted>",
    ),
    (re.compile(r"(?i)(Signature=)[0-9a-f]{16,}"), r"\1<redacted>"),
    # A bare secret access key: 40 characters of base64's alphabet, mixing upper and lower case
    # with a digit, "/" or "+" (a hex digest, all lower case, is left alone).
    (
        re.compile(
            r"(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[0-9/+])"
            r"[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"
        ),
        "<secret-key>",
    ),
)


MIN_SECRET_LENGTH = 12
"""Shorter values are not masked by value: a real access key id is 20 characters, a secret key
40, a token hundreds, and cutting out every "testing" or "demo" would garble plain words."""

_secrets_lock = threading.Lock()
_secrets: frozenset[str] = frozenset()
_by_value: re.Pattern[str] | None = None


def note_secrets(values: Iterable[str | None]) -> None:
    """Mask these values (credentials in use, a presigned URL) by value from now on."""
    global _secrets, _by_value
    fresh = set()
    for value in values:
        if value and len(value) >= MIN_SECRET_LENGTH:
            fresh |= {value, quote(value, safe=""), quote(value, safe="/")}
    with _secrets_lock:
        if fresh <= _secrets:
            return
        _secrets = _secrets | fresh
        # Longest first, so a token is cut whole before any shorter value inside it.
        alternatives = sorted(_secrets, key=len, reverse=True)
        _by_value = re.compile("|".join(re.escape(v) for v in alternatives))


def forget_secrets() -> None:
    """Drop every value noted (for tests)."""
    global _secrets, _by_value
    with _secrets_lock:
        _secrets, _by_value = frozenset(), None


def redact_values(text: str) -> str:
    """``text`` with every noted secret value replaced by ``<redacted>``."""
    pattern = _by_value
    return pattern.sub("<redacted>", text) if pattern is not None else text


def redact(text: str) -> str:
    """``text`` with every noted secret value and every credential-looking value replaced."""
    text = redact_values(text)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact_deep(value: Any) -> Any:
    """``value`` (a response: dicts, lists, strings) with :func:`redact` applied to every string,
    for display; the structure, and every value with nothing to mask, are kept as they were."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {key: redact_deep(item) for key, item in value.items()}
    if isinstance(value, list):
        return [redact_deep(item) for item in value]
    return value


class RedactingFilter(logging.Filter):
    """Redacts the fully formatted message (arguments included) of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


class _PrivateFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating handler whose files are created 0600, whatever the umask."""

    def _open(self) -> io.TextIOWrapper:
        # Never through a link: another user's link would send smtui's log wherever it points.
        refuse_symlink(Path(self.baseFilename))
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0), 0o600)
        os.chmod(self.baseFilename, 0o600)
        stream = os.fdopen(fd, self.mode.replace("w", "a"), encoding=self.encoding)
        assert isinstance(stream, io.TextIOWrapper)  # a text mode always gives one
        return stream


def log_path() -> Path:
    return state_dir() / LOG_NAME


def setup_logging(level: int = logging.INFO) -> Path:
    """Send smtui's (and botocore's warnings') logs to the private, redacted log file."""
    path = log_path()
    handler = _PrivateFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _PrivateFileHandler)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("smtui").setLevel(level)
    return path
