"""The README's settings section is generated from the settings table and must match it exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from smtui import config
from smtui.config import (
    EXAMPLE_TOML,
    SECTION_END,
    SECTION_START,
    SETTINGS,
    Setting,
    Settings,
    load_settings,
    replace_settings_section,
    settings_markdown,
)

README = Path(__file__).resolve().parents[2] / "README.md"
REGENERATE = (
    "README.md's settings section is not what smtui/config.py's SETTINGS produce: run "
    "`python -m smtui.config --update README.md` (or paste the output of `python -m smtui.config` "
    f"between {SECTION_START} and {SECTION_END})"
)


def test_the_readme_section_is_what_the_table_produces() -> None:
    readme = README.read_text(encoding="utf-8")
    assert readme.count(SECTION_START) == 1 and readme.count(SECTION_END) == 1, REGENERATE
    assert readme.index(SECTION_START) > readme.index("## Configuration"), "the section belongs under ## Configuration"
    assert replace_settings_section(readme) == readme, REGENERATE


def test_a_new_row_makes_the_readme_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = README.read_text(encoding="utf-8")
    extra = Setting("poll.idle_seconds", config.SECONDS, 600.0, None, "a setting nobody documented")
    monkeypatch.setattr(config, "SETTINGS", (*SETTINGS, extra))
    assert replace_settings_section(readme) != readme


def test_every_row_is_in_the_markdown_table() -> None:
    markdown = settings_markdown()
    for row in SETTINGS:
        line = next(line for line in markdown.splitlines() if line.startswith(f"| `{row.name}` |"))
        assert line.count(" | ") == 4, line  # a '|' in a doc must not add a column
        assert (f"`{row.env}`" if row.env else "—") in line


def test_the_example_loads_and_changes_something(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(EXAMPLE_TOML, encoding="utf-8")
    settings = load_settings(path, env={})
    assert settings.theme != Settings().theme
    assert settings.keys and settings.read_only_profiles


def test_the_module_prints_the_section_and_updates_a_readme(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert config.main([]) == 0
    assert capsys.readouterr().out == settings_markdown()
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{SECTION_START}\nold\n{SECTION_END}\n\nafter\n", encoding="utf-8")
    assert config.main(["--update", str(readme)]) == 0
    assert (
        readme.read_text(encoding="utf-8") == f"# x\n\n{SECTION_START}\n{settings_markdown()}{SECTION_END}\n\nafter\n"
    )
    readme.write_text("no markers\n", encoding="utf-8")
    assert config.main(["--update", str(readme)]) == 1
    assert config.main(["--frobnicate"]) == 2
