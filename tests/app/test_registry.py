"""One command registry: the ':' line, the palette and help all read it, so none can drift."""

from __future__ import annotations

from typing import Any

from textual.command import Hit

from smtui.emulator.server import EmulatorServer
from smtui.ui.commands import ResourceCommands
from smtui.ui.registry import COMMANDS, CommandRegistry
from smtui.ui.screens.command import CommandScreen
from smtui.ui.screens.help import HelpScreen
from tests.app.helpers import loaded, make_app, prompt_error, screen_text, wait_for


async def palette_hits(app: Any, query: str) -> list[str]:
    provider = ResourceCommands(app.screen)
    hits = [hit async for hit in provider.search(query)]
    return [str(hit.text) for hit in hits if isinstance(hit, Hit)]


async def test_every_registry_command_is_in_help_the_prompt_and_the_palette(emu: EmulatorServer) -> None:
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=(120, 100)) as pilot:
        await loaded(pilot, "endpoints")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_text = await screen_text(pilot)
        await pilot.press("escape")
        for command in COMMANDS:
            assert command.shown in help_text, f"help lacks {command.shown}"
            await pilot.press("colon")
            await wait_for(pilot, lambda: isinstance(app.screen, CommandScreen))
            await pilot.press(*command.name[:3])
            await pilot.pause(0.1)
            prompt = await screen_text(pilot)
            assert f":{command.name}" in prompt and command.help in prompt, f"':' does not offer {command.name}"
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, CommandScreen))
            if not command.usage:  # the palette cannot ask for an argument
                hits = await palette_hits(app, command.title)
                assert any(f":{command.name}" in hit for hit in hits), f"palette lacks {command.name}: {hits}"


async def test_argument_checks_speak_at_the_prompt_before_anything_runs(emu: EmulatorServer) -> None:
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot, "endpoints")
        for typed, said in (
            ("region", "usage: :region NAME"),
            ("region moon-1", "is not a region name"),
            ("theme no-such-theme", "unknown theme 'no-such-theme'"),
            ("profile", "usage: :profile NAME"),
            ("trainingjbos", "unknown resource type"),
        ):
            await pilot.press("colon")
            await wait_for(pilot, lambda: isinstance(app.screen, CommandScreen))
            await pilot.press(*typed, "enter")
            await pilot.pause(0.1)
            assert said in prompt_error(app), typed
            await pilot.press("escape")
        assert app.target.region == "us-east-1"
        assert app.run_command("theme textual-light") is None
        assert app.theme == "textual-light"


def test_every_word_names_one_command() -> None:
    words = [word for command in COMMANDS for word in command.words]
    assert len(words) == len(set(words))
    assert CommandRegistry.split(":TJ   failed now") == ("tj", ["failed", "now"])
