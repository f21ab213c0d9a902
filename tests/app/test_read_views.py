"""Issue 11's findings on the read path, each as the user met it in the demo."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Tree

from smtui.emulator.seed import seed_demo
from smtui.emulator.server import EmulatorServer
from smtui.ui.screens.describe import DescribeScreen
from smtui.ui.screens.resource_list import ResourceListScreen
from smtui.ui.widgets.chrome import Crumbs
from tests.app.helpers import loaded, make_app, screen_text, wait_for


async def command(pilot: Pilot[Any], text: str) -> None:
    await pilot.press("colon", *list(text), "enter")


def header(screen: ResourceListScreen) -> str:
    return screen.table.render_line(0).text


async def test_nodes_sort_status_sorts_status_across_clusters(emu: EmulatorServer) -> None:
    # Finding: ":nodes then S sorts by TYPE while the status line says STATUS".
    seed_demo(emu)
    app = make_app(emu, start="cluster-nodes")
    async with app.run_test(size=(100, 30)) as pilot:
        nodes = await loaded(pilot, "cluster-nodes")
        assert nodes.fanout
        # Opens sorted by severity: the failing node is on top, not somewhere in the middle.
        assert nodes.table.sort_key == "InstanceStatus.Status"
        first = nodes.table.rows[nodes.table.view[0]]
        assert first.record["InstanceStatus"]["Status"] == "Failure"
        await pilot.press("N")
        assert nodes.table.sort_key == "InstanceId"
        await pilot.press("S")
        assert nodes.table.sort_key == "InstanceStatus.Status"
        assert "STATUS ▲" in header(nodes) and "TYPE ▲" not in header(nodes)
        assert "sort STATUS ▲" in await screen_text(pilot)
        statuses = [nodes.table.rows[k].record["InstanceStatus"]["Status"] for k in nodes.table.view]
        assert statuses[0] == "Failure" and set(statuses[1:]) == {"Running"}
        # The number keys count the columns on screen, the CLUSTER column included.
        await pilot.press("1")
        assert nodes.table.sort_key == "<parent>"
        await pilot.press("2")
        assert nodes.table.sort_key == "InstanceId"
        assert "INSTANCE ▲" in header(nodes)


async def test_events_sort_age_marks_age(emu: EmulatorServer) -> None:
    # Finding: "in :hpe, A puts ▲ on DESCRIPTION while the status line says AGE".
    seed_demo(emu)
    app = make_app(emu, start="cluster-events")
    async with app.run_test(size=(100, 30)) as pilot:
        events = await loaded(pilot, "cluster-events")
        # Events across clusters open newest first (ages ascending); A reverses that.
        assert "AGE ▲" in header(events)
        await pilot.press("A")
        assert events.table.sort_key == "EventTime"
        assert "AGE ▼" in header(events) and "DESCRIPTION" in header(events) and "DESCRIPTION ▼" not in header(events)
        assert "sort AGE ▼" in await screen_text(pilot)


async def test_at_80x24_age_stays_and_the_footer_fits(emu: EmulatorServer) -> None:
    # Findings: "AGE is missing on :ic and :hp", "the footer is cut (? Hel)".
    seed_demo(emu)
    app = make_app(emu, start="inference-components")
    async with app.run_test(size=(80, 24)) as pilot:
        ics = await loaded(pilot, "inference-components")
        text = await screen_text(pilot)
        assert "AGE" in header(ics) and "STATUS" in header(ics) and "NAME" in header(ics)
        footer = text.splitlines()[-1]
        assert "? Help" in footer and ": Command" in footer
        await command(pilot, "hp")
        clusters = await loaded(pilot, "clusters")
        await pilot.pause(0.2)
        assert "AGE" in header(clusters) and "STATUS" in header(clusters)
        footer = (await screen_text(pilot)).splitlines()[-1]
        assert "? Help" in footer
        await pilot.resize_terminal(200, 40)
        await pilot.pause(0.3)
        assert "CHANGED" in header(clusters) and "IMAGE" in header(clusters)


async def test_breadcrumb_is_cut_from_the_left(emu: EmulatorServer) -> None:
    # Finding: "the breadcrumb is cut on the right at 100 columns, hiding the current view".
    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=(50, 24)) as pilot:
        endpoints = await loaded(pilot, "endpoints")
        endpoints.table.move_cursor_to_key("fraud-detector-v7-prod")
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and bool(app.screen.detail))
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and app.screen.rtype.name == "models")
        crumbs = app.screen.query_one(Crumbs)
        await wait_for(pilot, lambda: len(crumbs.parts) == 3)
        current = crumbs.parts[-1]
        line = (await screen_text(pilot)).splitlines()[1].rstrip()
        assert len(" › ".join(crumbs.parts)) > 50, "the path must be too long for the test to mean anything"
        assert line.endswith(current[-10:]) and "…" in line


async def test_colon_switches_the_root_view_and_minus_brackets_walk_history(emu: EmulatorServer) -> None:
    # Finding: "each : stacks a new view; it took 15 Esc presses to get back to the first screen".
    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot, "endpoints")
        for word, name in (("ic", "inference-components"), ("hp", "clusters"), ("tj", "training-jobs")):
            await command(pilot, word)
            await loaded(pilot, name)
        assert len(app.screen_stack) == 2  # Textual's base screen and the one root view
        crumbs = app.screen.query_one(Crumbs)
        assert crumbs.parts == ["Training jobs"]
        await pilot.press("escape")  # nothing above the root: Esc stays and says why
        await pilot.pause(0.1)
        assert isinstance(app.screen, ResourceListScreen) and app.screen.rtype.name == "training-jobs"
        await pilot.press("minus")
        await loaded(pilot, "clusters")
        await pilot.press("minus")  # '-' toggles between the last two
        await loaded(pilot, "training-jobs")
        # ... without adding to the history: '[' walks back past them, it does not bounce
        # between the two views '-' showed (finding from a fresh-eyes run).
        assert [v.name for v in app.roots] == ["endpoints", "inference-components", "clusters", "training-jobs"]
        await pilot.press("left_square_bracket")
        await loaded(pilot, "clusters")
        await pilot.press("left_square_bracket")
        await loaded(pilot, "inference-components")
        # Drill-downs stack above the root and Esc walks back down them.
        await command(pilot, "hp")
        clusters = await loaded(pilot, "clusters")
        clusters.table.move_cursor_to_key("llm-pretrain-p5")
        await pilot.press("n")
        await loaded(pilot, "cluster-nodes")
        assert len(app.screen_stack) == 3
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is clusters)
        back = len(app.roots)
        await pilot.press("left_square_bracket")
        await loaded(pilot, "inference-components")
        await pilot.press("right_square_bracket")
        await loaded(pilot, "clusters")
        assert len(app.roots) == back  # walking the history does not add to it
        assert len(app.screen_stack) == 2
        # A '-' typed in the filter box is text, not navigation.
        await pilot.press("slash", "minus")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ResourceListScreen) and app.screen.rtype.name == "clusters"
        assert app.screen.query_one("#filter", Input).value == "-"


async def test_two_commands_in_one_burst_both_run(emu: EmulatorServer) -> None:
    # Over a slow link ":ic⏎:hp⏎" arrives at once; the second command used to be lost.
    from textual import events

    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot, "endpoints")
        burst = [("colon", ":"), ("i", "i"), ("c", "c"), ("enter", None)]
        burst += [("colon", ":"), ("h", "h"), ("p", "p"), ("enter", None)]
        for key, char in burst:
            app.post_message(events.Key(key, char))
        await loaded(pilot, "clusters")
        assert [view.name for view in app.roots] == ["endpoints", "inference-components", "clusters"]


async def describe_job(pilot: Pilot[Any], name: str) -> DescribeScreen:
    jobs = await loaded(pilot, "training-jobs")
    assert jobs.table.move_cursor_to_key(name)
    await pilot.press("enter")
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and bool(app.screen.detail))
    screen = app.screen
    assert isinstance(screen, DescribeScreen)
    return screen


async def test_describe_keeps_the_cursor_on_its_field_through_a_live_update(emu: EmulatorServer) -> None:
    # Finding: "the describe tree is rebuilt on every live update; Ctrl+Y then copies a value
    # the user did not pick".
    from smtui.emulator.seed import seed_training_jobs
    from smtui.ui.widgets.detail_tree import DetailTree

    seed_training_jobs(emu, 3)
    app = make_app(emu)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await describe_job(pilot, "job-00001")
        tree = screen.query_one(DetailTree)
        await wait_for(pilot, lambda: ("TrainingJobName",) in tree.nodes)
        picked = tree.nodes[("TrainingJobName",)]
        tree.move_cursor(picked)
        transitions = tree.nodes[("SecondaryStatusTransitions",)]
        transitions.expand()
        await pilot.pause()
        emu.fail("job-00001", "ResourceLimitExceeded: live update")
        await wait_for(
            pilot, lambda: screen.detail.get("TrainingJobStatus") == "Failed", what="the poll shows the failure"
        )
        await pilot.pause(0.2)
        assert tree.cursor_node is picked
        assert tree.nodes[("SecondaryStatusTransitions",)] is transitions and transitions.is_expanded
        await pilot.press("ctrl+y")
        assert app.clipboard == "job-00001"


async def test_failed_job_banner_names_failure_reason_and_completed_job_has_none(emu: EmulatorServer) -> None:
    # Findings: the banner said SecondaryStatusTransitions[0].StatusMessage instead of
    # FailureReason; a Completed job showed its normal messages as warnings.
    seed_demo(emu)
    app = make_app(emu)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await describe_job(pilot, "llama3-70b-sft-oom")
        problems = screen.query_one("#problems")
        text = await screen_text(pilot)
        assert "⚠ FailureReason:" in text
        assert "SecondaryStatusTransitions[" not in "\n".join(t for t in text.splitlines() if "⚠" in t)
        await pilot.press("escape")
        done = next(n for n, j in emu.backend().training_jobs.items() if j.training_job_status == "Completed")
        screen = await describe_job(pilot, done)
        problems = screen.query_one("#problems")
        assert not problems.display
        assert "⚠" not in await screen_text(pilot)


async def test_endpoint_detail_shows_component_copies(emu: EmulatorServer) -> None:
    # Finding: "the inference-component panel's COPIES column is empty".
    from smtui.ui.widgets.related import RelatedPanel

    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=(120, 35)) as pilot:
        endpoints = await loaded(pilot, "endpoints")
        endpoints.table.move_cursor_to_key("genai-shared-g5")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen))
        panel = app.screen.query_one(RelatedPanel)
        await wait_for(pilot, lambda: panel.display, what="the panel")
        for _ in range(40):
            if "4/4" in await screen_text(pilot):
                break
        text = await screen_text(pilot)
        line = next(t for t in text.splitlines() if "llama3-8b-chat-ic" in t)
        assert "4/4" in line, line


async def test_burning_has_parent_and_when_newest_first_filter_sort_and_full_reason(emu: EmulatorServer) -> None:
    # Findings: REASON cut at ~40 characters, nodes show no cluster, new items at the bottom,
    # no filter or sort, MLflow failures missing.
    from smtui.ui.screens.burning import BurningScreen

    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=(160, 40)) as pilot:
        await loaded(pilot, "endpoints")
        emu.fail("mlflow-prod", "MaintenanceFailed: the database upgrade did not finish")
        await command(pilot, "burning")
        await wait_for(pilot, lambda: isinstance(app.screen, BurningScreen) and app.screen.rounds >= 1)
        burning = app.screen
        assert isinstance(burning, BurningScreen)
        table = burning.table
        titles = [c.title for c in table.columns]
        assert {"PARENT", "WHEN", "REASON"} <= set(titles)
        node = next(r for r in table.rows.values() if r.record.type_name == "cluster-nodes")
        assert node.cells[titles.index("PARENT")] == "llm-pretrain-p5"
        assert any(r.record.type_name == "mlflow-tracking-servers" for r in table.rows.values())
        # Newest first.
        whens = [table.rows[k].sort_values[titles.index("WHEN")] for k in table.view]
        assert whens == sorted(whens, reverse=True)
        # The whole reason of the selected row, under the table.
        long_row = max(table.rows.values(), key=lambda r: len(r.record.reason))
        assert len(long_row.record.reason) > 40
        table.move_cursor_to_key(long_row.key)
        table.post_message(table.CursorMoved(table, table.cursor_row))
        await pilot.pause(0.1)
        reason = str(burning.query_one("#reason").render())
        assert long_row.record.reason[-20:] in reason.replace("\n", " ")
        # Filter like any list.
        await pilot.press("slash", *list("mlflow"), "enter")
        await pilot.pause(0.1)
        assert table.view and all("mlflow" in table.rows[k].text for k in table.view)
        assert "filter /mlflow" in await screen_text(pilot)
        await pilot.press("escape")  # clears the filter
        await pilot.pause(0.1)
        assert len(table.view) == len(table.rows)
        # Sort like any list: S by severity, N by name, number keys by the columns shown.
        await pilot.press("N")
        assert table.sort_key == "name"
        names = [table.rows[k].cells[titles.index("NAME")].lower() for k in table.view]
        assert names == sorted(names)
        await pilot.press("S")
        assert table.sort_key == "status"
        await pilot.press("1")
        assert table.sort_key == table.shown_keys()[0]


async def test_a_filter_too_long_for_the_server_filters_here_and_says_so(emu: EmulatorServer) -> None:
    # Finding: a 10,000-character filter went to the server as NameContains (limit 63), was
    # refused and retried for ever; the toast repeated it and the log got a 10,239-char line.
    from smtui.emulator.seed import seed_training_jobs

    seed_training_jobs(emu, 5)
    app = make_app(emu)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded(pilot, "training-jobs")
        await pilot.pause(0.6)  # let a poll or two go by
        box = screen.query_one("#filter", Input)
        await pilot.press("slash")
        box.value = "job-" + "x" * 10_000
        await pilot.press("enter")
        await pilot.pause(1.5)
        assert screen.server_filter == {}
        assert screen.table.view == []  # filtered here: nothing matches
        # Nothing was refused: no error, and no reload was sent for it.
        assert not screen.query_one("#error").display
        assert screen.complete and not screen.is_loading
        status = (await screen_text(pilot)).splitlines()[-2]
        assert "filtering here only" in status and "63" in status
        assert len(status) <= 100
        assert not any("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" in str(n.message) for n in app._notifications)
        # A name with characters NameContains refuses is filtered here too.
        await pilot.press("escape")
        await pilot.press("slash", *list("job 1"), "enter")
        await pilot.pause(0.2)
        assert screen.server_filter == {} and "filtering here only: not valid in names" in await screen_text(pilot)


async def test_a_regex_filter_applies_per_cell(emu: EmulatorServer) -> None:
    # Finding: "a regex filter applies to the whole row, so oom$ misses llama3-70b-sft-oom".
    seed_demo(emu)
    app = make_app(emu)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded(pilot, "training-jobs")
        await pilot.press("slash", *list("oom$"))
        await pilot.pause(0.2)
        assert screen.table.view == ["llama3-70b-sft-oom"]


async def test_the_action_menu_keeps_the_view_visible_behind_it(emu: EmulatorServer) -> None:
    # Finding: "the Ctrl+X menu blanks the screen behind it".
    from smtui.ui.screens.confirm import ActionMenu

    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot, "endpoints")
        await pilot.press("ctrl+x")
        await wait_for(pilot, lambda: isinstance(app.screen, ActionMenu))
        await pilot.pause(0.2)
        import html

        # What the terminal shows, the screens below a dialog included.
        text = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        assert "Endpoints: actions" in text and "llama3-70b-prod" in text


async def test_describe_n_walks_matches_while_searching_and_star_expands(emu: EmulatorServer) -> None:
    # Finding: help said e expands and n is the next match, but in describe they were jumps:
    # "/Instance Enter Tab n" opened the nodes list.
    seed_demo(emu)
    app = make_app(emu, start="clusters")
    async with app.run_test(size=(100, 30)) as pilot:
        clusters = await loaded(pilot, "clusters")
        clusters.table.move_cursor_to_key("llm-pretrain-p5")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and bool(app.screen.detail))
        describe = app.screen
        assert isinstance(describe, DescribeScreen)
        await pilot.press("slash", *list("Instance"), "enter")
        await pilot.pause(0.1)
        assert len(describe.matches) > 1 and describe.match_index == 0
        await pilot.press("tab", "n")
        await pilot.pause(0.2)
        assert describe.is_current and describe.match_index == 1
        await pilot.press("N")
        assert describe.is_current and describe.match_index == 0
        tree = describe.query_one(Tree)
        tree.root.collapse_all()
        tree.root.expand()
        await pilot.press("asterisk")
        assert all(n.is_expanded for n in tree.root.children if n.allow_expand)
        # With no search, n is the cluster's jump to its nodes.
        describe.matches = []
        await pilot.press("n")
        await loaded(pilot, "cluster-nodes")


async def test_screenshot_works_without_a_downloads_folder(
    emu: EmulatorServer, tmp_path: Any, monkeypatch: Any
) -> None:
    # Finding: "the palette's Screenshot fails when ~/Downloads is missing".
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot, "endpoints")
        app.action_screenshot()
        await pilot.pause(0.1)
        saved = list(tmp_path.glob("*.svg"))
        assert len(saved) == 1 and "<svg" in saved[0].read_text()
        assert any("screenshot saved" in str(n.message) for n in app._notifications)


async def test_cluster_detail_at_80x24_shows_the_nodes_failing_first(emu: EmulatorServer) -> None:
    # Finding: "at 80×24 the cluster detail shows 2 of 10 nodes" (wrapped messages).
    seed_demo(emu)
    app = make_app(emu, start="clusters")
    async with app.run_test(size=(80, 24)) as pilot:
        clusters = await loaded(pilot, "clusters")
        clusters.table.move_cursor_to_key("llm-pretrain-p5")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen))
        for _ in range(50):
            text = await screen_text(pilot)
            if "HyperPod nodes (10)" in text:
                break
        nodes = [line for line in text.splitlines() if line.strip().startswith("i-0")]
        assert len(nodes) >= 8, text
        assert "Failure" in nodes[0]


async def test_clusters_name_the_group_with_a_failed_node_and_ctrl_z_keeps_that_cluster(emu: EmulatorServer) -> None:
    # Findings: "the cluster list doesn't show which cluster has a failed node" (NODES read
    # 'controller 1/1 · login 1/1 · …' at 80 columns, the failing gpu group cut off) and
    # "Ctrl+Z on clusters shows 0 shown while a node is failing".
    seed_demo(emu)
    app = make_app(emu, start="clusters")
    async with app.run_test(size=(80, 24)) as pilot:
        clusters = await loaded(pilot, "clusters")

        def nodes_cell() -> str:
            row = clusters.table.rows.get("llm-pretrain-p5")
            return row.cells[clusters.table.column_index("InstanceGroups") or 0] if row else ""

        await wait_for(pilot, lambda: nodes_cell().startswith("✗1 gpu-workers"), what="the failed group first")
        line = next(ln for ln in (await screen_text(pilot)).splitlines() if "llm-pretrain-p5" in ln)
        assert "✗1 gpu-workers" in line, line  # on screen at 80 columns, not cut away
        healthy = clusters.table.rows["research-eks-g5"].cells[clusters.table.column_index("InstanceGroups") or 0]
        assert "✗" not in healthy
        await pilot.press("ctrl+z")
        assert [clusters.table.rows[k].key for k in clusters.table.view] == ["llm-pretrain-p5"]
        assert "1 shown" in await screen_text(pilot)
        # What smtui counted is its own: the describe view gets the record as SageMaker sent it.
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen))
        assert "FailedMembers" not in await screen_text(pilot)
        describe = app.screen
        assert isinstance(describe, DescribeScreen)
        assert not any(key.startswith("smtui:") for key in describe.record)


async def test_slash_and_text_in_one_burst_land_in_the_filter_and_the_search(emu: EmulatorServer) -> None:
    # Finding: over tmux "/research" sent in one read opened an empty filter box (the letters
    # reached the list first: "r" reloads, "E" would open a form); in describe "/bucket"
    # searched for "ucket".
    seed_demo(emu)
    app = make_app(emu, start="training-jobs")
    async with app.run_test(size=(100, 30)) as pilot:
        jobs = await loaded(pilot, "training-jobs")
        emu.faults.clear_requests()
        for char in "/mixtral":
            app.post_message(events.Key("slash" if char == "/" else char, char))
        box = jobs.query_one("#filter", Input)
        await wait_for(pilot, lambda: box.value == "mixtral", what=f"the filter typed (got {box.value!r})")
        await pilot.pause(0.5)
        assert [jobs.table.rows[k].key for k in jobs.table.view] == ["mixtral-8x7b-pretrain"]
        assert emu.faults.request_counts()["mutating"] == 0
        await pilot.press("escape")
        jobs.table.move_cursor_to_key("mixtral-8x7b-pretrain")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and bool(app.screen.detail))
        describe = app.screen
        assert isinstance(describe, DescribeScreen)
        for key in ["slash", *"Failure", "enter"]:
            app.post_message(events.Key(key, "/" if key == "slash" else (None if key == "enter" else key)))
        await wait_for(pilot, lambda: describe.search_text == "Failure", what=f"search (got {describe.search_text!r})")
        assert describe.matches


async def test_the_key_shown_in_the_action_menu_picks_that_action(emu: EmulatorServer) -> None:
    # Finding (fresh-eyes review): the menu listed "Open MLflow UI  O", and O inside the menu
    # did nothing; only arrows and Enter worked.
    from smtui.ui.screens.confirm import ActionMenu, ConfirmScreen

    seed_demo(emu)
    app = make_app(emu, start="training-jobs")
    async with app.run_test(size=(100, 30)) as pilot:
        jobs = await loaded(pilot, "training-jobs")
        emu.faults.clear_requests()
        # A greyed action's key says why, and the menu stays.
        jobs.table.move_cursor_to_key("mixtral-8x7b-pretrain")
        await pilot.press("ctrl+x")
        await wait_for(pilot, lambda: isinstance(app.screen, ActionMenu))
        await pilot.press("X")
        await pilot.pause(0.2)
        assert isinstance(app.screen, ActionMenu)
        assert any("only applies while it runs" in str(n.message) for n in app._notifications)
        await pilot.press("escape")
        # An offered action's key picks it: Stop on a running job asks to confirm.
        running = next(k for k, r in jobs.table.rows.items() if r.record.get("TrainingJobStatus") == "InProgress")
        jobs.table.move_cursor_to_key(running)
        await pilot.press("ctrl+x")
        await wait_for(pilot, lambda: isinstance(app.screen, ActionMenu))
        await pilot.press("X")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the Stop confirmation")
        await pilot.press("n")
        await pilot.pause(0.3)
        assert emu.faults.request_counts()["mutating"] == 0


async def test_a_search_burst_in_the_json_view_searches_and_opens_no_form(emu: EmulatorServer) -> None:
    # Finding (tmux): in the describe view's JSON, "/Config" in one read opened a Create form:
    # its read-only TextArea counted as a text box, so the keys after '/' were not held and
    # "C" acted on the view. Later a '/' typed into the still-open box searched for "/Arn".
    from smtui.ui.screens.form import FormScreen

    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot, "endpoints")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and bool(app.screen.detail))
        describe = app.screen
        assert isinstance(describe, DescribeScreen)
        await pilot.press("y", "y")
        await wait_for(pilot, lambda: describe.view_mode == "json")
        emu.faults.clear_requests()

        def burst(text: str) -> None:
            for key in ["slash", *text, "enter"]:
                app.post_message(events.Key(key, "/" if key == "slash" else (None if key == "enter" else key)))

        burst("Config")
        await wait_for(pilot, lambda: describe.search_text == "Config", what=f"search (got {describe.search_text!r})")
        assert describe.matches
        assert isinstance(app.screen, DescribeScreen)
        await pilot.press("escape")  # clears the search; the view keeps the keys
        burst("Arn")
        await wait_for(pilot, lambda: describe.search_text == "Arn", what=f"search (got {describe.search_text!r})")
        await pilot.pause(0.3)
        assert not isinstance(app.screen, FormScreen)
        assert isinstance(app.screen, DescribeScreen)
        assert emu.faults.request_counts()["mutating"] == 0
        await pilot.press("escape", "escape")
        listing = await loaded(pilot, "endpoints")
        for char in "/Edge":  # E is Update on a list: here it is the filter's first letter
            app.post_message(events.Key("slash" if char == "/" else char, char))
        box = listing.query_one("#filter", Input)
        await wait_for(pilot, lambda: box.value == "Edge", what=f"the filter typed (got {box.value!r})")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ResourceListScreen) and app.screen.rtype.name == "endpoints"
        assert emu.faults.request_counts()["mutating"] == 0


async def test_a_failed_pipeline_execution_shows_its_steps_and_its_name(emu: EmulatorServer) -> None:
    # Finding: a failed execution's detail named it by ARN ("…execution/h5jd597zcrau") in the
    # crumb and the tree, and said nothing of its steps: which step failed, and its own reason
    # (SageMaker's execution-level reason is often only "one or more steps failed").
    from smtui.ui.widgets.related import StepsPanel

    seed_demo(emu)
    app = make_app(emu, start="pipelines")
    async with app.run_test(size=(80, 24)) as pilot:
        pipelines = await loaded(pilot, "pipelines")
        pipelines.table.move_cursor_to_key("llm-eval-pipeline")
        await pilot.press("e")
        executions = await loaded(pilot, "pipeline-executions")
        failed = next(
            k for k, r in executions.table.rows.items() if r.record.get("PipelineExecutionStatus") == "Failed"
        )
        executions.table.move_cursor_to_key(failed)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and bool(app.screen.detail))
        panel = app.screen.query_one(StepsPanel)
        await wait_for(pilot, lambda: panel.display, what="the steps panel")
        text = await screen_text(pilot)
        assert "Steps (2, 1 failed)" in text
        train = next(line for line in text.splitlines() if line.lstrip().startswith("Train"))
        assert "Failed" in train and "AlgorithmError" in train
        assert "llm-eval-pipeline-run-3" in app.screen.query_one(Crumbs).parts[-1]
        assert emu.faults.request_counts()["counts"].get("ListPipelineExecutionSteps", 0) >= 1


async def test_a_resource_found_by_the_poll_shows_where_the_server_lists_it(emu: EmulatorServer) -> None:
    # Finding: a newly created MLflow server appeared at the bottom of its list until a reload
    # moved it to the top: the poll appended new rows whatever the server's order.
    from smtui.emulator.seed import add_endpoint, state_of

    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=(100, 30)) as pilot:
        listing = await loaded(pilot, "endpoints")
        assert listing.table.sort_column is None  # the server's order
        before = list(listing.table.view)
        add_endpoint(state_of(emu), "brand-new-endpoint", "fraud-detector-v7-model")
        await wait_for(pilot, lambda: "brand-new-endpoint" in listing.table.rows, what="the poll finds it")
        assert listing.table.view == ["brand-new-endpoint", *before]


async def test_w_shows_long_values_whole_at_80_columns(emu: EmulatorServer) -> None:
    # Finding: at 80×24 describe values were cut at the right edge (an ARN lost its end, and
    # the JSON ARN line its closing '",'), with no way to read them but copying.
    from textual.widgets import Static, TextArea

    seed_demo(emu)
    app = make_app(emu, start="training-jobs")
    async with app.run_test(size=(80, 24)) as pilot:
        jobs = await loaded(pilot, "training-jobs")
        jobs.table.move_cursor_to_key("llama3-70b-sft-oom")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and bool(app.screen.detail))
        describe = app.screen
        assert isinstance(describe, DescribeScreen)
        arn = str(describe.detail["TrainingJobArn"])
        assert arn not in await screen_text(pilot)  # cut at the edge
        tree = describe.query_one(Tree)
        node = next(n for n in _all_nodes(tree.root) if str(n.label).startswith("TrainingJobArn"))
        tree.move_cursor(node)
        await pilot.press("w")
        value = describe.query_one("#value", Static)
        await wait_for(pilot, lambda: value.display, what="the selected value shown whole")
        assert arn in "".join((await screen_text(pilot)).split())
        await pilot.press("y", "y")
        raw = describe.query_one("#raw", TextArea)
        await wait_for(pilot, lambda: describe.view_mode == "json" and raw.soft_wrap)
        assert not value.display
        raw.scroll_home(animate=False)
        await pilot.pause(0.1)
        shown = "".join((await screen_text(pilot)).replace("▊", "").replace("▎", "").split())
        assert f'"{arn}",' in shown


def _all_nodes(node: Any) -> list[Any]:
    return [node, *(n for child in node.children for n in _all_nodes(child))]


async def test_enter_on_a_mixed_case_filter_keeps_what_it_matched(emu: EmulatorServer) -> None:
    # Finding (fresh-eyes review): "/Config" showed the 5 "...-config" rows (the filter here
    # ignores case); Enter sent NameContains=Config, which the server matched case exactly,
    # and the list went to 0.
    seed_demo(emu)
    app = make_app(emu, start="endpoint-configs")
    async with app.run_test(size=(80, 24)) as pilot:
        configs = await loaded(pilot, "endpoint-configs")
        shown = len(configs.table.view)
        assert shown >= 5
        emu.faults.clear_requests()
        await pilot.press("slash", *"Config", "enter")
        await pilot.pause(0.5)
        await wait_for(pilot, lambda: configs.complete)
        assert len(configs.table.view) == shown
        assert "filtering here only" in await screen_text(pilot)
