"""Settings: file, environment overrides, and messages that name the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from smtui.config import ConfigError, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "nope.toml", env={})
    assert settings.profile is None
    assert settings.poll.fast_seconds == 3.0
    assert not settings.read_only


def test_file_values_and_per_profile_read_only(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'profile = "prod"\nregion = "eu-west-1"\n[poll]\nfast_seconds = 2\nslow_seconds = 20\n'
        "[profiles.prod]\nread_only = true\n",
    )
    settings = load_settings(path, env={})
    assert (settings.profile, settings.region) == ("prod", "eu-west-1")
    assert settings.poll.fast_seconds == 2 and settings.poll.slow_seconds == 20
    assert settings.read_only_for("prod") and not settings.read_only_for("dev")


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, 'profile = "prod"\nread_only = false\n')
    settings = load_settings(
        path, env={"SMTUI_PROFILE": "dev", "SMTUI_READ_ONLY": "yes", "SMTUI_POLL_FAST": "1.5"}
    )
    assert settings.profile == "dev"
    assert settings.read_only
    assert settings.poll.fast_seconds == 1.5


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'profile = "prod"\nregion eu-west-1\n')
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    assert str(path) in str(info.value)
    assert "line 2" in str(info.value)


def test_wrong_type_names_file_line_and_problem(tmp_path: Path) -> None:
    path = write(tmp_path, '# comment\n[poll]\nfast_seconds = "soon"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    message = str(info.value)
    assert f"{path}, line 3" in message
    assert "number of seconds" in message


def test_unknown_key_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "colour = 1\n")
    with pytest.raises(ConfigError, match=r"line 1: unknown setting 'colour'"):
        load_settings(path, env={})


def test_negative_interval_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "[poll]\nslow_seconds = -5\n")
    with pytest.raises(ConfigError, match="more than 0"):
        load_settings(path, env={})


def test_bad_environment_value(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SMTUI_READ_ONLY"):
        load_settings(tmp_path / "none.toml", env={"SMTUI_READ_ONLY": "maybe"})
