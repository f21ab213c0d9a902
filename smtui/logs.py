"""The log file: under the platformdirs state directory, mode 0600, bounded, and redacted.

A bastion host is shared, and a log is the first thing pasted into a ticket, so nothing that
grants access may reach it: access keys, secret keys, session tokens, signatures and whole
presigned URLs are replaced before a record is written.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import re
from pathlib import Path

from smtui.config import state_dir

LOG_NAME = "smtui.log"
MAX_BYTES = 1_000_000
BACKUPS = 2

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Presigned URLs (MLflow, Studio, notebooks): the whole query string is a credential.
    (
        re.compile(r"(https?://[^\s\"'?]+)\?[^\s\"']*(?:X-Amz-|authToken|Signature|token)[^\s\"']*", re.I),
        r"\1?<redacted>",
    ),
    (re.compile(r"\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{16}\b"), "<access-key>"),
    (
        re.compile(
            r"(?i)(aws_secret_access_key|secret_?access_?key|SecretAccessKey|aws_session_token|session_?token|"
            r"SessionToken|x-amz-security-token|authorization|password)(['\"]?\s*[:=]\s*['\"]?)([^\s'\",}]+)"
        ),
        r"\1\2<redacted>",
    ),
    (re.compile(r"(?i)(Signature=)[0-9a-f]{16,}"), r"\1<redacted>"),
)


def redact(text: str) -> str:
    """``text`` with every credential-looking value replaced."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


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
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
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
