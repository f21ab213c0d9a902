"""Keys that do nothing on a view say why, help lists the view's own keys, and the header
keeps what matters at 80 columns.

From a fresh-eyes run in tmux: on the MLflow apps list W, B, X and Ctrl+T did nothing with no
message; help listed every key any type has (O "opens the MLflow UI" on an endpoint list),
wrapped Ctrl+F and Ctrl+S onto lines of their own and listed ``l`` twice; ``:ml`` opened the
MLflow apps rather than the tracking servers; the header cut "emulator" at 80 columns.
"""

from __future__ import annotations

from textual.widgets import Static

from smtui.emulator.seed import seed_demo
from smtui.emulator.server import EmulatorServer
from smtui.ui.screens.command import CommandScreen
from smtui.ui.screens.help import HelpScreen
from smtui.ui.widgets.chrome import ContextBar
from tests.app.helpers import loaded, make_app, screen_text, wait_for


def toasts(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


async def test_an_action_key_the_type_lacks_says_so_and_sends_nothing(emu: EmulatorServer) -> None:
    seed_demo(emu)
    app = make_app(emu, start="mlflow-apps")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, "mlflow-apps")
        before = emu.faults.request_counts()["total"]
        for key, said in (
            ("W", "MLflow apps: W does nothing here (no scale or update weights)"),
            ("B", "MLflow apps: B does nothing here (no reboot)"),
            ("X", "MLflow apps: X does nothing here (no stop)"),
            ("ctrl+t", "Ctrl+T copies the SSM session command of a HyperPod node"),
        ):
            app.clear_notifications()
            await pilot.press(key)
            await wait_for(pilot, lambda: toasts(app), what=f"a message for {key}")
            assert any(said in t for t in toasts(app)), (key, toasts(app))
        # Delete is an action of this type: its key opens the confirmation, not a message.
        app.clear_notifications()
        await pilot.press("ctrl+d")
        await pilot.pause(0.3)
        assert not any("does nothing" in t for t in toasts(app))
        counts = emu.faults.request_counts()
        assert counts["mutating"] == 0
        # Only the live poll reached the server: the keys themselves sent nothing.
        assert set(counts["counts"]) <= {"ListMlflowApps", "DescribeMlflowApp"}, counts["counts"]
        assert counts["total"] >= before


async def test_help_lists_the_views_own_keys(emu: EmulatorServer) -> None:
    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=(100, 120)) as pilot:
        await loaded(pilot, "endpoints")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = await screen_text(pilot)
        assert "Lists: Endpoints" in text
        assert "Update weights" in text and "jump: Inference components" in text
        assert "MLflow UI" not in text  # not an endpoint's key
        assert "ssm start-session" not in text  # Ctrl+T works on HyperPod nodes only
        assert "Logs (l from" not in text and "Describe" not in text  # other views' keys
        assert text.count("CloudWatch logs") == 1  # l once, not also as "scroll columns"
        for line in text.splitlines():
            # No key stands alone on a line: a wrapped key column hid what Ctrl+F and Ctrl+S do.
            cells = line.strip("│ ").split()
            assert cells not in (["Ctrl+F"], ["Ctrl+S"]), line
        await pilot.press("escape")
        await pilot.press(*":nodes", "enter")
        await loaded(pilot, "cluster-nodes")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = await screen_text(pilot)
        assert "ssm start-session" in text and "Reboot" in text


async def test_ml_opens_the_tracking_servers(emu: EmulatorServer) -> None:
    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, "endpoints")
        await pilot.press("colon")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandScreen))
        await pilot.press("m", "l", "enter")
        await loaded(pilot, "mlflow-tracking-servers")


async def test_the_header_keeps_the_emulator_and_read_only_at_80_columns(emu: EmulatorServer) -> None:
    seed_demo(emu)
    app = make_app(emu, start="endpoints", read_only=True, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, "endpoints")
        header = await screen_text(pilot)
        first = header.splitlines()[0]
        assert "READ-ONLY" in first and "emulator" in first, first
        bar = app.screen.query_one(ContextBar)
        assert isinstance(bar, Static) and bar.size.width == 80
