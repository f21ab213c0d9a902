"""Settings: file, environment overrides, and messages that name the file and line."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from smtui import config
from smtui.config import SETTINGS, ConfigError, Setting, Settings, load_settings


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
    settings = load_settings(path, env={"SMTUI_PROFILE": "dev", "SMTUI_READ_ONLY": "yes", "SMTUI_POLL_FAST": "1.5"})
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


# ---------------------------------------------------------------------------- the table, row by row
# Every row of SETTINGS is exercised through the same generic helpers, so a new row is tested
# (file, environment, wrong type) without a new test; only a new Kind needs a sample below.
SAMPLES = {
    config.OPTIONAL_STRING: "sample-value",
    config.NON_EMPTY_STRING: "smtui-high-contrast",
    config.BOOLEAN: True,
    config.SECONDS: 7,
    config.KEY_NAMES: "f1,question_mark",
    config.LINES: 2500,
    config.WINDOWS: 4,
}
PLACEHOLDERS = {"NAME": "prod", "ID": "list.filter"}


def toml_key(part: str) -> str:
    return part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else json.dumps(part)


def toml_value(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else json.dumps(value)


def toml_for(row: Setting, value: object) -> tuple[str, int]:
    """A file setting ``row`` to ``value`` after a comment line, and the line the key is on."""
    *tables, leaf = [PLACEHOLDERS.get(part, part) for part in row.name.split(".")]
    header = f"[{'.'.join(toml_key(part) for part in tables)}]\n" if tables else ""
    text = f"# smtui\n{header}{toml_key(leaf)} = {toml_value(value)}\n"
    return text, 3 if tables else 2


def read_back(settings: Settings, row: Setting) -> object:
    """The value ``row`` landed on, by the table's own rules (see Setting's docstring)."""
    if row.per_name:
        assert row.field is not None
        landed: Any = getattr(settings, row.field)
        name = next(PLACEHOLDERS[part] for part in row.name.split(".") if part.isupper())
        return (name in landed) if row.kind is config.BOOLEAN else landed.get(name)
    value: Any = settings
    for part in row.name.split("."):
        value = getattr(value, part)
    return value


ROWS = [pytest.param(row, id=row.name) for row in SETTINGS]
ENV_ROWS = [pytest.param(row, id=row.name) for row in SETTINGS if row.env]


def test_every_kind_has_a_sample_that_is_not_a_default() -> None:
    for row in SETTINGS:
        assert row.kind in SAMPLES, f"add a sample for the kind of {row.name}"
        assert row.kind.refine(SAMPLES[row.kind]) != row.default, row.name


def test_the_defaults_of_settings_are_the_table_defaults() -> None:
    settings = load_settings(Path("/nonexistent/smtui.toml"), env={})
    assert settings == Settings()
    for row in SETTINGS:
        if not row.per_name:
            assert read_back(settings, row) == row.default, row.name
    assert settings.keys == {} and settings.read_only_profiles == frozenset()


def test_every_settings_field_comes_from_a_row() -> None:
    landed = {row.field if row.per_name else row.name.split(".")[0] for row in SETTINGS}
    assert {f.name for f in fields(Settings)} - {"source"} == landed


@pytest.mark.parametrize("row", ROWS)
def test_each_setting_round_trips_from_the_file(tmp_path: Path, row: Setting) -> None:
    sample = SAMPLES[row.kind]
    text, _ = toml_for(row, sample)
    settings = load_settings(write(tmp_path, text), env={})
    assert read_back(settings, row) == row.kind.refine(sample), text


@pytest.mark.parametrize("row", ENV_ROWS)
def test_each_setting_round_trips_from_its_environment_variable(tmp_path: Path, row: Setting) -> None:
    assert row.env is not None and row.env.startswith("SMTUI_")
    sample = SAMPLES[row.kind]
    settings = load_settings(tmp_path / "none.toml", env={row.env: toml_value(sample).strip('"')})
    assert read_back(settings, row) == row.kind.refine(sample)


@pytest.mark.parametrize("row", ENV_ROWS)
def test_each_environment_variable_beats_the_file(tmp_path: Path, row: Setting) -> None:
    assert row.env is not None
    sample = SAMPLES[row.kind]
    text, _ = toml_for(row, sample)
    other = "3" if row.kind is config.WINDOWS else {bool: "false", int: "11", str: "from-env"}[type(sample)]
    settings = load_settings(write(tmp_path, text), env={row.env: other})
    assert read_back(settings, row) == row.kind.from_env(other)


@pytest.mark.parametrize("row", ROWS)
def test_a_wrong_type_names_the_file_the_line_and_what_was_wanted(tmp_path: Path, row: Setting) -> None:
    wrong: object = 5 if str in row.kind.types else "wrong"
    text, line = toml_for(row, wrong)
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    leaf = PLACEHOLDERS.get(row.name.split(".")[-1], row.name.split(".")[-1])
    assert str(info.value) == f"{path}, line {line}: '{leaf}' must be {row.kind.what}, got {wrong!r}"


def test_theme_from_file_and_environment(tmp_path: Path) -> None:
    path = write(tmp_path, 'theme = "smtui-high-contrast"\n')
    assert load_settings(path, env={}).theme == "smtui-high-contrast"
    assert load_settings(path, env={"SMTUI_THEME": "nord"}).theme == "nord"
    assert load_settings(path, env={"SMTUI_THEME": ""}).theme == "smtui-high-contrast"  # empty = unset
    with pytest.raises(ConfigError, match=r"line 1: 'theme' must not be empty"):
        load_settings(write(tmp_path, 'theme = ""\n'), env={})


# ---------------------------------------------------------------------------- [keys]
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[keys]\n"list.filter" = "f"\n', {"list.filter": "f"}),
        ('[keys]\n"app.help" = "f1,question_mark"\n', {"app.help": "f1,question_mark"}),
        ('[keys]\n"app.help" = " f1 , ctrl+h "\n', {"app.help": "f1,ctrl+h"}),  # spaces around names dropped
        ('[keys]\n"no.such.binding" = "x"\n', {"no.such.binding": "x"}),  # ids are not known here: kept
        (
            'keys = {"list.filter" = "f", "list.back" = "escape,left"}\n',
            {"list.filter": "f", "list.back": "escape,left"},
        ),
        ('keys."list.reload" = "ctrl+r"\n', {"list.reload": "ctrl+r"}),
        ("[keys]\n", {}),
    ],
)
def test_keys_accepted(tmp_path: Path, text: str, expected: dict[str, str]) -> None:
    settings = load_settings(write(tmp_path, text), env={})
    assert dict(settings.keys) == expected
    hash(settings)  # still usable as a key, the keymap included


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('[keys]\n"list.filter" = 5\n', "line 2: 'list.filter' must be a string of key names, got 5"),
        ('[keys]\n"list.filter" = ["f"]\n', "line 2: 'list.filter' must be a string of key names"),
        ('[keys]\n"list.filter" = ""\n', "line 2: 'keys.\"list.filter\"' must be key names separated by commas"),
        ('[keys]\n"list.filter" = "f1,,x"\n', "line 2: 'keys.\"list.filter\"' must be key names separated by commas"),
        ('[keys]\n"list.filter" = "f1,"\n', "must be key names separated by commas"),
        ('[keys]\n"list.filter" = "ctrl c"\n', "has a space inside the key name 'ctrl c'"),
        ('[keys]\n"" = "f"\n', "line 2: [keys] has an entry with an empty name"),
        ("keys = 3\n", "line 1: 'keys' must be a table, got 3"),
        ('[keys]\nlist.filter = "f"\n', "line 2: 'list' must be a string of key names, got {'filter': 'f'} (quote"),
        ('[keys]\nlist.filter = "f"\n', '(quote a dotted ID: "list.filter" = ...)'),
    ],
)
def test_keys_rejected(tmp_path: Path, text: str, needle: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    assert str(info.value).startswith(str(path)) and needle in str(info.value), str(info.value)


def test_settings_built_in_code_freeze_their_keymap() -> None:
    keys = {"list.filter": "f"}
    settings = Settings(keys=keys)
    keys["list.filter"] = "g"
    assert settings.keys == {"list.filter": "f"}
    assert isinstance(settings.keys, Mapping) and not isinstance(settings.keys, dict)
    assert hash(settings) == hash(Settings(keys={"list.filter": "f"}))
    with pytest.raises(TypeError):
        settings.keys["list.filter"] = "h"  # type: ignore[index]
