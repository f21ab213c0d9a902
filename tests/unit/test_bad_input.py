"""Bad input, wherever a person can type: the filter, the ``:`` prompt, command-line flags and the
config file. Nothing crashes, the typed text is kept, and the message says what is wrong where
it was typed.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.widgets import Input, Static

from smtui.config import ConfigError, UsageError, check_endpoint_url, check_region, load_settings
from smtui.emulator.seed import seed_training_jobs
from smtui.emulator.server import EmulatorServer
from smtui.text import printable
from smtui.ui.app import SmtuiApp
from smtui.ui.screens.command import CommandScreen
from smtui.ui.screens.resource_list import ResourceListScreen
from smtui.ui.widgets.resource_table import ResourceTable, RowFilter, TableColumn, TableRow
from tests.app.helpers import SIZE, make_app, screen_text, wait_for

LONG = "x" * 10_000
BAD_REGEXES = ["([", "*", "a{99999999999}", "(?P<", "\\", "[z-a]", "x{2,1}", "(?i", "(" * 500, "a{1,2}{3}{"]
SLOW_REGEXES = ["(a|a)*$", "(a|aa)*c$"]
ODD_FILTERS = [
    "日本語",
    "👩\u200d👩\u200d👧",
    "\x1b[2J",
    "\x00\x07\t",
    "\u202e",
    LONG,
    "job" * 3000 + "(",
    "!",
    "!" + LONG,
    "   ",
]


def table_of(names: list[str]) -> ResourceTable:
    table = ResourceTable([TableColumn("NAME", 12), TableColumn("STATUS", 10)])
    table.append([TableRow(key=n, cells=[n, "InService"], styles=["", ""]) for n in names])
    return table


# ---------------------------------------------------------------------------- the filter (unit)
@pytest.mark.parametrize("expression", BAD_REGEXES, ids=range(len(BAD_REGEXES)))
def test_an_invalid_regex_is_a_value_error_and_changes_nothing(expression: str) -> None:
    table = table_of(["job-1", "job-2", "other"])
    table.set_filter("job")
    assert len(table.view) == 2
    with pytest.raises(ValueError, match="invalid regex"):
        table.set_filter(expression)
    assert table.row_filter is not None and table.row_filter.expression == "job"
    assert len(table.view) == 2


@pytest.mark.parametrize("expression", SLOW_REGEXES)
def test_a_catastrophically_slow_regex_does_not_freeze_the_console(expression: str) -> None:
    # A "c" in each name: a regex runs on each cell, and one without the literal it needs
    # fails at once without backtracking.
    names = ["a" * 60 + f"-c{i}" for i in range(300)]
    table = table_of(names)
    started = time.monotonic()
    with pytest.raises(ValueError, match="too slow"):
        table.set_filter(expression)
    assert time.monotonic() - started < 2.0
    assert table.row_filter is None and len(table.view) == len(names)


@pytest.mark.parametrize("expression", ODD_FILTERS, ids=range(len(ODD_FILTERS)))
def test_odd_filters_apply_or_are_a_clear_error(expression: str) -> None:
    table = table_of(["job-1", "日本語-job", "\x1b-job"])
    try:
        table.set_filter(expression)
    except ValueError as exc:
        assert str(exc).startswith("invalid regex")
        assert table.row_filter is None
    else:
        assert table.row_filter is None or table.row_filter.expression == expression.strip()
    for row in table.rows.values():
        table._row_strip(row, False)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_a_filter_or_a_clear_error(expression: str) -> None:
    try:
        parsed = RowFilter(expression)
    except ValueError as exc:
        assert str(exc).startswith("invalid regex")
        return
    parsed.matches("job-1 inservice 日本語")


# ---------------------------------------------------------------------------- the filter (app)
async def test_filter_input_keeps_the_text_and_says_what_is_wrong(emu: EmulatorServer) -> None:
    seed_training_jobs(emu, 4)
    seed_training_jobs(emu, 1, prefix="a" * 50)  # a long run of one letter: food for backtracking
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ResourceListScreen)
        await wait_for(pilot, lambda: screen.complete, what="loaded")
        box = screen.query_one("#filter", Input)
        error = screen.query_one("#filter-error", Static)
        typed_cases = (
            ("job-(", "invalid regex"),
            ("a{99999999999}", "invalid regex"),  # re raises OverflowError for this one, not re.error
            ("(a|a)*$", "too slow"),  # catastrophic backtracking on the 50 a's
        )
        for typed, needle in typed_cases:
            started = time.monotonic()
            await pilot.press("slash", *typed)
            await pilot.pause(0.1)
            assert box.value == typed
            await pilot.press("enter")  # Enter on a bad expression keeps the box open with the text
            await pilot.pause(0.1)
            assert time.monotonic() - started < 5, f"{typed!r} froze the console"
            assert box.display and box.value == typed
            assert error.display and needle in str(error.content), str(error.content)
            assert needle in await screen_text(pilot)
            assert app.is_running and app._exception is None
            in_effect = screen.table.row_filter
            assert in_effect is None or in_effect.expression != typed  # the last valid filter stays
            await pilot.press("escape", "escape")  # close the box, then clear the filter
            box.value = ""
            await wait_for(pilot, lambda: len(screen.table.view) == 5, timeout=2, what="filter cleared")
        # Pasted: 10,000 characters, control characters, unicode.
        for pasted in (LONG, "\x1b[2J\x00", "日本語👩\u200d👩", "(" + LONG):
            await pilot.press("slash")
            box.value = pasted
            await pilot.pause(0.1)
            assert box.value == pasted
            assert app.is_running and app._exception is None
            assert "Traceback" not in await screen_text(pilot)
            await pilot.press("escape", "escape")
            box.value = ""
        await wait_for(pilot, lambda: len(screen.table.view) == 5, timeout=2, what="filter cleared")


async def test_a_filter_that_looks_like_markup_is_shown_as_typed(emu: EmulatorServer) -> None:
    seed_training_jobs(emu, 3)
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ResourceListScreen)
        await wait_for(pilot, lambda: screen.complete, what="loaded")
        for expression in ("^[a-z]", "x[/]"):
            await pilot.press("slash")
            screen.query_one("#filter", Input).value = expression
            await pilot.pause(0.1)
            await pilot.press("enter")
            await pilot.pause(0.1)
            assert app.is_running and app._exception is None
            assert f"filter /{expression}" in await screen_text(pilot)
            await pilot.press("escape")


# ---------------------------------------------------------------------------- the : prompt
JUNK_COMMANDS = [
    ("zzqqxxv", "unknown resource type"),
    ("日本語", "unknown resource type"),
    ("[b]bold[/b] [/]", "unknown resource type"),
    ("\x1b[2J", "unknown resource type"),
    ("x" * 2000, "unknown resource type"),
    ("region", "usage: :region"),
    ("region Mars-1", "is not a region name"),
    ("region us-east-1; rm -rf ~", "is not a region name"),
    ("profile", "usage: :profile"),
    ("profile $(whoami)", "unknown profile"),
]


async def run_prompt(pilot: Any, app: SmtuiApp, text: str) -> None:
    await pilot.press("colon")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandScreen), timeout=2, what="prompt")
    app.screen.query_one("#command-input", Input).value = text
    await pilot.pause(0.05)
    await pilot.press("enter")
    await pilot.pause(0.2)


async def test_junk_at_the_prompt_is_a_clear_message(emu: EmulatorServer) -> None:
    seed_training_jobs(emu, 2)
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ResourceListScreen)
        await wait_for(pilot, lambda: screen.complete, what="loaded")
        for text, needle in JUNK_COMMANDS:
            await run_prompt(pilot, app, text)
            assert app.is_running and app._exception is None, text
            # Said where it was typed, and the text stays for fixing.
            prompt = app.screen
            assert isinstance(prompt, CommandScreen), f"{text!r} closed the prompt"
            assert prompt.query_one("#command-input", Input).value == printable(text)  # kept, made visible
            error = str(prompt.query_one("#command-error", Static).content)
            assert needle in error, (text, error)
            shown = await screen_text(pilot)
            assert "Traceback" not in shown and "\x1b" not in shown
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is screen, what="back on the list")


async def test_a_filter_given_after_the_type_is_checked_like_a_typed_one(emu: EmulatorServer) -> None:
    expression = "failed"
    seed_training_jobs(emu, 3)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SIZE) as pilot:
        await run_prompt(pilot, app, f"tj {expression}")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, ResourceListScreen) and app.screen.rtype.name == "training-jobs",
            timeout=3,
        )
        screen = app.screen
        assert isinstance(screen, ResourceListScreen)
        await pilot.pause(0.2)
        assert app.is_running and app._exception is None
        assert screen.query_one("#filter", Input).value == expression
        assert screen.table.row_filter is not None and screen.table.row_filter.expression == expression


async def test_a_prompt_error_stays_at_the_prompt_with_the_text(emu: EmulatorServer) -> None:
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        await run_prompt(pilot, app, "region Mars-1")
        assert isinstance(app.screen, CommandScreen)
        assert app.screen.query_one("#command-input", Input).value == "region Mars-1"
        assert "is not a region name" in str(app.screen.query_one("#command-error", Static).content)


# ---------------------------------------------------------------------------- command-line flags
@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    aws_config = tmp_path / "aws-config"
    aws_config.write_text("[default]\nregion = us-east-1\n[profile work]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(aws_config))
    monkeypatch.setenv("SMTUI_CONFIG", str(tmp_path / "smtui.toml"))
    for name in ("AWS_PROFILE", "SMTUI_PROFILE", "SMTUI_REGION"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    from smtui import cli

    def must_not_start(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"{argv!r} was accepted and would start the app")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cli, "run_app", must_not_start)
        patch.setattr(cli, "run_demo", must_not_start)
        with pytest.raises(SystemExit) as info:
            cli.main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err[:500]
    assert lines[0].startswith("smtui: ")
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--region", "ü" * 5000], "is not a region name"),
        (["--region", "日本-東-1"], "is not a region name"),
        (["--region", "\x1b]0;pwned\x07"], "is not a region name"),
        (["--profile", "日本語"], "unknown profile '日本語'"),
        (["--profile", "p" * 10_000], "unknown profile"),
        (["--profile", "a\nb"], "unknown profile"),
        (["--endpoint-url", "ftp://ü.example"], "is not a URL"),
        (["--endpoint-url", "http://" + "é" * 5000 + ":99999"], "invalid port"),
        (["--endpoint-url", "not a url " * 1000], "is not a URL"),
        (["--demo", "--region", "nowhere"], "is not a region name"),
        (["--region"], "expected one argument"),
    ],
)
def test_bad_flag_values_end_in_one_line(
    cli_env: Path, capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    line = run_main(argv, capsys)
    assert needle in line
    assert "\x1b" not in line  # the value is quoted (repr), never echoed raw to the terminal


def test_an_unknown_flag_with_a_newline_is_still_one_line(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_main(["--frob\n\x1b[2Jnext"], capsys)


def test_non_utf8_flag_bytes_end_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMTUI_")}
    env["SMTUI_CONFIG"] = str(tmp_path / "none.toml")
    result = subprocess.run(
        [sys.executable.encode(), b"-m", b"smtui.cli", b"--region", b"\xff\xfe-bad-1"],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    err = result.stderr.decode("utf-8", "replace")
    assert len(err.strip().splitlines()) == 1, err
    assert "is not a region name" in err
    assert "Traceback" not in err


def test_a_region_with_a_trailing_newline_is_refused() -> None:
    with pytest.raises(UsageError):
        check_region("us-east-1\n")


@pytest.mark.parametrize("url", ["http://host:99999", "https://", "javascript:alert(1)", "http://a b", "http://h:-1"])
def test_bad_endpoint_urls_are_usage_errors(url: str) -> None:
    with pytest.raises(UsageError):
        check_endpoint_url(url)


def test_an_unbalanced_ipv6_endpoint_url_is_one_line(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "is not a URL" in run_main(["--endpoint-url", "http://[::1"], capsys)


# ---------------------------------------------------------------------------- config files
def write(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "config.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "needles"),
    [
        ("[poll]\nfast_seconds = [1]\n", ["line 2", "'fast_seconds' must be a number of seconds"]),
        ("[poll]\nslow_seconds = true\n", ["line 2", "not a boolean"]),
        ("poll = 3\n", ["line 1", "'poll' must be a table"]),
        ("poll = {fast_seconds = 'x'}\n", ["'fast_seconds' must be a number"]),
        ("[profiles.prod]\nread_only = 'yes'\n", ["line 2", "'read_only' must be true or false"]),
        ("[profiles]\nprod = 1\n", ["line 2", "'prod' must be a table"]),
        ("profiles = 'x'\n", ["line 1", "must be a table of [profiles.NAME]"]),
        ("[profiles.prod.nested]\nread_only = true\n", ["unknown setting 'nested' for profile prod"]),
        ("[colors]\nfg = 'red'\n", ["unknown setting 'colors'"]),
        ("[poll.extra]\nx = 1\n", ["unknown setting 'poll.extra'"]),
        ("[poll]\n[poll]\n", ["line 2"]),
        ("profile = 'a\x00b'\n", ["line 1", "invalid character"]),
        ("region = 5\n", ["line 1", "'region' must be a string"]),
        ("[poll]\nfast_seconds = 40\nslow_seconds = 30\n", ["fast_seconds (40.0) is more than"]),
        ("\ufeff[poll\n", ["line 1"]),
    ],
)
def test_config_variants_name_the_file_the_line_and_the_problem(
    tmp_path: Path, content: str, needles: list[str]
) -> None:
    path = write(tmp_path, content)
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    message = str(info.value)
    assert str(path) in message
    assert "\n" not in message
    for needle in needles:
        assert needle in message, message


@pytest.mark.parametrize(
    "junk",
    [
        b"\xff\xfe\x00\x01garbage\x80",
        bytes(range(256)),
        b"\x89PNG\r\n\x1a\n\x00\x00",
        bytes(random.Random(7).randrange(256) for _ in range(64)) + b"\xff",
    ],
    ids=["utf16-bom", "all-bytes", "png", "random"],
)
def test_binary_junk_config_is_a_config_error(tmp_path: Path, junk: bytes) -> None:
    path = write(tmp_path, junk)
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    assert str(path) in str(info.value)


def test_a_config_path_that_is_a_directory_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(tmp_path, env={})


def test_a_config_file_with_a_bom_loads(tmp_path: Path) -> None:
    path = write(tmp_path, '\ufeffprofile = "prod"\n')
    assert load_settings(path, env={}).profile == "prod"


@pytest.mark.parametrize(
    ("content", "env"),
    [
        ("[poll]\nfast_seconds = nan\n", {}),
        ("[poll]\nslow_seconds = inf\n", {}),
        ("", {"SMTUI_POLL_FAST": "nan"}),
        ("", {"SMTUI_POLL_SLOW": "inf"}),
    ],
)
def test_non_finite_intervals_are_refused(tmp_path: Path, content: str, env: dict[str, str]) -> None:
    path = write(tmp_path, content)
    with pytest.raises(ConfigError):
        load_settings(path, env=env)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300) | st.binary(max_size=300))
def test_any_config_content_loads_or_is_a_config_error(content: str | bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp), content)
        try:
            load_settings(path, env={})
        except ConfigError as exc:
            assert str(path) in str(exc)
