"""The log file is private (0600, under platformdirs) and never holds a credential."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from smtui.logs import redact, setup_logging

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


@pytest.mark.parametrize(
    ("text", "leak"),
    [
        ("using key AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
        (f"aws_secret_access_key = {SECRET}", SECRET),
        ('{"SessionToken": "IQoJb3JpZ2luX2VjEXAMPLETOKEN"}', "IQoJb3JpZ2luX2VjEXAMPLETOKEN"),
        (
            "url https://abc.studio.us-east-1.sagemaker.aws/auth?token=eyJhbGciOiJIUzI1NiJ9.secret",
            "eyJhbGciOiJIUzI1NiJ9",
        ),
        (
            "https://t-123.us-east-1.experiments.sagemaker.aws/auth?authToken=abcdef123456&X-Amz-Signature=9f8e7d6c5b4a39281706",
            "abcdef123456",
        ),
        ("Authorization: AWS4-HMAC-SHA256 Credential=AKIA.../aws4_request", "AWS4-HMAC-SHA256"),
    ],
)
def test_redact_removes_credentials(text: str, leak: str) -> None:
    cleaned = redact(text)
    assert leak not in cleaned
    assert "<" in cleaned  # something was visibly replaced


def test_redact_keeps_ordinary_text() -> None:
    text = "ListTrainingJobs throttled; next poll in 8s (arn:aws:sagemaker:us-east-1:123456789012:endpoint/x)"
    assert redact(text) == text


def test_log_file_is_0600_under_the_state_dir_and_redacted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    path = setup_logging()
    try:
        assert path.is_relative_to(tmp_path / "state")
        logging.getLogger("smtui.test").warning(
            "calling with key %s and secret_access_key=%s", "AKIAIOSFODNN7EXAMPLE", SECRET
        )
        for handler in logging.getLogger().handlers:
            handler.flush()
        content = path.read_text()
        assert "calling with key" in content
        assert "AKIAIOSFODNN7EXAMPLE" not in content and SECRET not in content
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    finally:
        root = logging.getLogger()
        for handler in list(root.handlers):
            if str(getattr(handler, "baseFilename", "")) == str(path):
                root.removeHandler(handler)
                handler.close()
