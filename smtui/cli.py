"""Command line: parse flags, resolve profile and region like the AWS CLI, then start the app.

Every problem with what the user typed ends as one line on stderr and exit code 2 — never a
traceback — because the person at the keyboard is usually in a hurry.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn

from smtui import __version__
from smtui.config import (
    ConfigError,
    Settings,
    UsageError,
    check_endpoint_url,
    check_region,
    list_scope,
    load_settings,
    parse_profiles,
    parse_regions,
)
from smtui.text import printable

if TYPE_CHECKING:
    from textual.app import App

    from smtui.aws.target import Target
    from smtui.emulator.child import EmulatorChild
    from smtui.emulator.faults import Credentials

DEMO_INSTALL_HINT = "smtui: --demo needs the emulator extra: pip install 'smtui[demo]'"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse echoes what was typed: keep the message on one line and free of escapes.
        raise UsageError(printable(message).replace("\n", "\\n"))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="smtui", description="A terminal console for Amazon SageMaker.")
    parser.add_argument("--profile", help="AWS profile (default: AWS_PROFILE, then the config file)")
    parser.add_argument("--region", help="AWS region (default: AWS_REGION, then the profile's region)")
    parser.add_argument(
        "--regions",
        help="open one list across these regions, comma-separated (e.g. us-east-1,eu-west-1), or all",
    )
    parser.add_argument(
        "--profiles",
        help="open one list across these AWS profiles, comma-separated (e.g. prod,staging), with a PROFILE column",
    )
    parser.add_argument("--endpoint-url", help="talk to this SageMaker endpoint instead of AWS's")
    parser.add_argument("--read-only", action="store_true", help="refuse every change (create/update/delete/...)")
    parser.add_argument("--demo", action="store_true", help="run against a local SageMaker emulator (no AWS account)")
    parser.add_argument("--version", action="version", version=f"smtui {__version__}")
    return parser


@dataclass(frozen=True)
class Resolved:
    profile: str | None
    region: str
    endpoint_url: str | None
    read_only: bool
    region_pinned: str = ""
    """What fixed the region when it must survive a profile switch (``--region``,
    ``AWS_REGION``); empty when it came from the profile or smtui's config."""


def resolve(args: argparse.Namespace, settings: Settings) -> Resolved:
    """Profile and region in the AWS CLI's order: flag, environment, profile config, smtui config."""
    profile = args.profile or os.environ.get("AWS_PROFILE") or settings.profile or None
    session: Any = None
    if profile:
        session = _botocore_session()
        available = set(session.available_profiles)
        if profile not in available:
            known = ", ".join(sorted(available)) or "none configured"
            raise UsageError(f"unknown profile {profile!r} (known: {known})")
        session.set_config_variable("profile", profile)
    pinned = next(
        (
            source
            for source, value in (
                ("--region", args.region),
                ("AWS_REGION", os.environ.get("AWS_REGION")),
                ("AWS_DEFAULT_REGION", os.environ.get("AWS_DEFAULT_REGION")),
            )
            if value
        ),
        "",
    )
    region = (
        args.region
        or os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
        or (session or _botocore_session()).get_config_variable("region")
        or settings.region
    )
    if not region:
        raise UsageError("no region: pass --region, set AWS_REGION, or add region to the profile")
    endpoint = check_endpoint_url(args.endpoint_url) if args.endpoint_url else None
    return Resolved(
        profile=profile,
        region=check_region(str(region)),
        endpoint_url=endpoint,
        read_only=bool(args.read_only) or settings.read_only_for(profile),
        region_pinned=pinned,
    )


def _botocore_session() -> Any:
    # Only when the profile or the region needs the AWS config: importing botocore.session
    # costs a tenth of a second before the first frame, and --region alone needs none of it.
    import botocore.session

    return botocore.session.Session()


def _fail(message: str) -> NoReturn:
    print(f"smtui: {message}", file=sys.stderr)
    raise SystemExit(2)


def main(argv: Sequence[str] | None = None) -> None:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        regions = tuple(parse_regions(args.regions)) if args.regions else ()
        settings = load_settings()
        if args.demo:
            if args.profile or args.endpoint_url:
                raise UsageError("--demo runs against the local emulator; drop --profile/--endpoint-url")
            if args.region:
                check_region(args.region)
            if args.profiles:
                raise UsageError("--demo has one account; --profiles applies to real AWS")
        else:
            if args.profiles:
                profiles = parse_profiles(args.profiles)
                if args.profile:
                    raise UsageError("give --profile or --profiles, not both")
                args.profile = profiles[0]  # the first is the app's own: forms, :burning, the header
            resolved = resolve(args, settings)
            if args.profiles and len(profiles) > 1:
                known = set(_botocore_session().available_profiles)
                for profile in profiles:
                    if profile not in known:
                        raise UsageError(f"unknown profile {profile!r} (known: {', '.join(sorted(known))})")
                regions = tuple(list_scope(p, r) for p in profiles for r in (regions or (resolved.region,)))
    except UsageError as exc:
        _fail(str(exc))
    except ConfigError as exc:
        _fail(f"config: {exc}")
    notices = prepare_process()
    if args.demo:
        run_demo(settings, read_only=bool(args.read_only), notices=notices, regions=regions)
    else:
        run_app(resolved, settings, notices=notices, regions=regions)


def prepare_process() -> list[str]:
    """What every real run needs before the app starts: the private log, the true size.

    Returns what the app should tell the user once it is up (a log it could not open).
    """
    from smtui.logs import setup_logging

    notices: list[str] = []
    try:
        setup_logging()
    except OSError as exc:  # a read-only home, or a symlinked log, must not stop the console
        notices.append(f"no log file this run: {exc}")
    # Textual prefers COLUMNS/LINES over the terminal's real size, even on resize; a shell
    # that exported them once would pin the layout to a stale size.
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)
    return notices


def run_app(
    resolved: Resolved, settings: Settings, *, notices: Sequence[str] = (), regions: Sequence[str] = ()
) -> None:
    from smtui.aws.target import Target
    from smtui.ui.app import SmtuiApp

    target = Target(
        profile=resolved.profile,
        region=resolved.region,
        endpoint_url=resolved.endpoint_url,
        read_only=resolved.read_only,
    )
    app = SmtuiApp(target, settings, region_pinned=resolved.region_pinned, notices=notices, regions=regions)
    guard = _exit_on_hangup()
    guard.attach(app)
    app.run()
    guard.finish()


def run_demo(settings: Settings, *, read_only: bool, notices: Sequence[str] = (), regions: Sequence[str] = ()) -> None:
    try:
        from smtui.emulator import Credentials, emulator_available, start_child
    except ImportError:
        _fail(DEMO_INSTALL_HINT.removeprefix("smtui: "))
    if not emulator_available():
        _fail(DEMO_INSTALL_HINT.removeprefix("smtui: "))
    from smtui.ui.app import SmtuiApp

    # Armed before the emulator starts: a hang-up during the few seconds of start-up must not
    # leave the child behind either.
    guard = _exit_on_hangup()
    # Made for this run and handed to the child over a pipe: the emulator accepts nothing
    # else, so another user of a shared machine cannot drive (or read) this demo.
    guard.credentials = Credentials.random()
    print("smtui: starting the local SageMaker emulator…", file=sys.stderr, flush=True)
    try:
        child = start_child(seed="demo", credentials=guard.credentials)
    except Exception as exc:  # a broken emulator must not become a traceback
        _fail(f"the demo emulator did not start: {exc}")
    except BaseException:  # a signal arrived while the child was starting: it must go too
        _terminate_children()
        raise
    guard.child = child
    try:
        target = demo_target(guard.credentials, child.url, read_only=read_only)
        app = SmtuiApp(target, settings, demo=True, backend=_DemoBackend(guard), notices=notices, regions=regions)
        guard.attach(app)
        app.run()
    finally:
        guard.app = None
        # The emulator keeps serving until the app has left (it would otherwise see errors while
        # exiting). After a signal it gets a short grace before SIGKILL: it holds nothing to save.
        (guard.child or child).stop(timeout=SIGNALLED_CHILD_GRACE_SECONDS if guard.signalled else 2.0)
    guard.finish()


# How long the emulator child gets to stop after SIGTERM, once smtui itself was signalled.
SIGNALLED_CHILD_GRACE_SECONDS = 0.3

# How long the app gets to leave the terminal tidy after SIGHUP/SIGTERM before the hard exit.
EXIT_GRACE_SECONDS = 0.75

# Best-effort terminal reset for the hard exit: kitty keyboard off, mouse reporting off,
# bracketed paste off, focus events off, line wrap on, leave the alternate screen, show the cursor.
_TERMINAL_RESET = (
    "\x1b[<u\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?2004l\x1b[?1004l\x1b[?7h\x1b[?1049l\x1b[?25h"
)


def demo_target(credentials: Credentials, url: str, *, read_only: bool = False) -> Target:
    """Where ``--demo`` points: the child at ``url``, signed with this run's ``credentials``."""
    from smtui.aws.target import Target

    return Target(
        region="us-east-1",
        endpoint_url=url,
        read_only=read_only,
        static_credentials=(credentials.access_key, credentials.secret_key),
        static_token=credentials.token,
        emulator=True,
    )


class _DemoBackend:
    """The demo's emulator as the app watches it (the UI may not import the emulator)."""

    def __init__(self, guard: _HangupGuard) -> None:
        self.guard = guard

    def exit_status(self) -> int | None:
        child = self.guard.child
        return None if child is None else child.process.poll()

    def restart(self) -> str:
        from smtui.emulator import start_child

        old = self.guard.child
        if old is not None:
            old.stop(timeout=0.5)
        child = start_child(seed="demo", credentials=self.guard.credentials)
        self.guard.child = child  # the hang-up handler must stop the new one too
        return child.url


class _HangupGuard:
    """What the SIGHUP/SIGTERM handler needs to end smtui, the app and the emulator child."""

    def __init__(self) -> None:
        self.app: App[Any] | None = None
        self.child: EmulatorChild | None = None
        self.credentials: Credentials | None = None
        """This run's demo credentials: a restarted emulator gets the same ones."""
        self.starting = True  # until the app exists: a signal unwinds with SystemExit
        self.signalled = 0
        # Textual reads keys from stdin (and sets its termios modes there) and draws on stderr.
        self.in_fd = self.out_fd = -1
        self.tty_attrs: list[Any] | None = None
        with contextlib.suppress(Exception):  # no termios on Windows; no terminal under a pipe
            import termios

            if sys.__stdin__ is not None and sys.__stdin__.isatty():
                self.in_fd = sys.__stdin__.fileno()
                self.tty_attrs = termios.tcgetattr(self.in_fd)
        with contextlib.suppress(Exception):
            if sys.__stderr__ is not None and sys.__stderr__.isatty():
                self.out_fd = sys.__stderr__.fileno()

    def attach(self, app: App[Any]) -> None:
        """The app is built: from now on a signal asks it to exit instead of unwinding."""
        self.app = app
        self.starting = False

    def handle(self, signum: int, _frame: FrameType | None) -> None:
        if self.signalled:  # already on the way out; the backstop is armed
            return
        self.signalled = signum
        timer = threading.Timer(EXIT_GRACE_SECONDS, self.hard_exit, args=(128 + signum,))
        timer.daemon = True
        timer.start()
        if self.starting:  # unwind like Ctrl-C would; run_demo's handlers stop the child
            raise SystemExit(128 + signum)
        app = self.app
        if app is None:  # past app.run(): the `finally` is already stopping the child
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # app.run() has not started its loop yet, or has just left it
            raise SystemExit(128 + signum) from None
        # A plain signal handler interrupts the event loop's select() but does not wake it:
        # call_soon_threadsafe writes to the loop's self-pipe so App.exit runs straight away.
        loop.call_soon_threadsafe(app.exit)

    def finish(self) -> None:
        """Once the app and the child are down: exit now, skipping the slow interpreter
        teardown (over half a second with botocore and Textual loaded) — after a signal, and
        after a normal quit too, so Ctrl+C feels immediate."""
        import logging

        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        with contextlib.suppress(Exception):
            logging.shutdown()
        if self.signalled:
            os._exit(128 + self.signalled)
        app = self.app
        code = getattr(app, "return_code", 0) if app is not None else 0
        os._exit(code or 0)

    def hard_exit(self, status: int) -> None:
        """The app did not finish in time (or the terminal is gone): kill the child, reset, exit."""
        child = self.child
        if child is not None:
            with contextlib.suppress(Exception):
                child.process.kill()
            if child.stderr_path:
                with contextlib.suppress(OSError):
                    os.unlink(child.stderr_path)
        # A stalled terminal (a frozen SSH link) can block the write: never wait long for it.
        reset = threading.Thread(target=self._reset_terminal, daemon=True)
        reset.start()
        reset.join(0.1)
        os._exit(status)

    def _reset_terminal(self) -> None:
        if self.tty_attrs is not None:
            with contextlib.suppress(Exception):
                import termios

                termios.tcsetattr(self.in_fd, termios.TCSANOW, self.tty_attrs)
        if self.out_fd >= 0:  # after a hang-up the terminal is gone and this fails quietly
            with contextlib.suppress(OSError):
                os.write(self.out_fd, _TERMINAL_RESET.encode())


def _exit_on_hangup() -> _HangupGuard:
    """End promptly when the SSH session drops (SIGHUP) or on SIGTERM, and take the emulator along.

    A console left running after its terminal is gone keeps polling and growing for ever, so the
    handler asks the app to exit (which restores the terminal) and, as a backstop, kills the
    child and hard-exits after :data:`EXIT_GRACE_SECONDS`. Set ``app`` and ``child`` on the
    returned guard as they come to exist.
    """
    guard = _HangupGuard()
    for name in ("SIGHUP", "SIGTERM"):  # Windows has no SIGHUP
        if (sig := getattr(signal, name, None)) is not None:
            signal.signal(sig, guard.handle)
    return guard


def _terminate_children() -> None:
    """SIGTERM this process's direct children (Linux ``/proc``; elsewhere they notice we died)."""
    me = os.getpid()
    try:
        entries = os.listdir("/proc")
    except OSError:
        return
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == me:
            with contextlib.suppress(OSError):
                os.kill(int(entry), signal.SIGTERM)


if __name__ == "__main__":  # pragma: no cover
    main()
