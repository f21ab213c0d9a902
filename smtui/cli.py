"""Command line: parse flags, resolve profile and region like the AWS CLI, then start the app.

Every problem with what the user typed ends as one line on stderr and exit code 2 — never a
traceback — because the person at the keyboard is usually in a hurry.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NoReturn

from smtui import __version__
from smtui.config import ConfigError, Settings, UsageError, check_endpoint_url, check_region, load_settings

DEMO_INSTALL_HINT = "smtui: --demo needs the emulator extra: pip install 'smtui[demo]'"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="smtui", description="A terminal console for Amazon SageMaker.")
    parser.add_argument("--profile", help="AWS profile (default: AWS_PROFILE, then the config file)")
    parser.add_argument("--region", help="AWS region (default: AWS_REGION, then the profile's region)")
    parser.add_argument("--endpoint-url", help="talk to this SageMaker endpoint instead of AWS's")
    parser.add_argument(
        "--read-only", action="store_true", help="refuse every change (create/update/delete/...)"
    )
    parser.add_argument(
        "--demo", action="store_true", help="run against a local SageMaker emulator (no AWS account)"
    )
    parser.add_argument("--version", action="version", version=f"smtui {__version__}")
    return parser


@dataclass(frozen=True)
class Resolved:
    profile: str | None
    region: str
    endpoint_url: str | None
    read_only: bool


def resolve(args: argparse.Namespace, settings: Settings) -> Resolved:
    """Profile and region in the AWS CLI's order: flag, environment, profile config, smtui config."""
    import botocore.session

    profile = args.profile or os.environ.get("AWS_PROFILE") or settings.profile or None
    session = botocore.session.Session()
    available = set(session.available_profiles)
    if profile and profile not in available:
        known = ", ".join(sorted(available)) or "none configured"
        raise UsageError(f"unknown profile {profile!r} (known: {known})")
    if profile:
        session.set_config_variable("profile", profile)
    region = (
        args.region
        or os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
        or session.get_config_variable("region")
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
    )


def _fail(message: str) -> NoReturn:
    print(f"smtui: {message}", file=sys.stderr)
    raise SystemExit(2)


def main(argv: Sequence[str] | None = None) -> None:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        settings = load_settings()
        if args.demo:
            if args.profile or args.endpoint_url:
                raise UsageError("--demo runs against the local emulator; drop --profile/--endpoint-url")
            if args.region:
                check_region(args.region)
        else:
            resolved = resolve(args, settings)
    except UsageError as exc:
        _fail(str(exc))
    except ConfigError as exc:
        _fail(f"config: {exc}")
    if args.demo:
        run_demo(settings, read_only=bool(args.read_only))
    else:
        run_app(resolved, settings)


def run_app(resolved: Resolved, settings: Settings) -> None:
    from smtui.aws.client import Target
    from smtui.ui.app import SmtuiApp

    target = Target(
        profile=resolved.profile,
        region=resolved.region,
        endpoint_url=resolved.endpoint_url,
        read_only=resolved.read_only,
    )
    app = SmtuiApp(target, settings)
    _exit_on_hangup(app)
    app.run()


def run_demo(settings: Settings, *, read_only: bool) -> None:
    try:
        from smtui.emulator import emulator_available, start_child
    except ImportError:
        _fail(DEMO_INSTALL_HINT.removeprefix("smtui: "))
    if not emulator_available():
        _fail(DEMO_INSTALL_HINT.removeprefix("smtui: "))
    from smtui.aws.client import Target
    from smtui.ui.app import SmtuiApp

    print("smtui: starting the local SageMaker emulator…", file=sys.stderr, flush=True)
    try:
        child = start_child(seed="demo")
    except Exception as exc:  # a broken emulator must not become a traceback
        _fail(f"the demo emulator did not start: {exc}")
    try:
        target = Target(
            region="us-east-1",
            endpoint_url=child.url,
            read_only=read_only,
            static_credentials=("demo", "demo"),
        )
        app = SmtuiApp(target, settings, demo=True)
        _exit_on_hangup(app, on_exit=child.stop)
        app.run()
    finally:
        child.stop()


def _exit_on_hangup(app: object, on_exit: object = None) -> None:
    """End promptly when the SSH session drops (SIGHUP) or on SIGTERM.

    A console left running after its terminal is gone keeps polling and growing for ever, so
    the handler asks the app to exit and, as a backstop, hard-exits shortly after.
    """
    import threading

    def handler(signum: int, _frame: object) -> None:
        if callable(on_exit):
            with contextlib.suppress(Exception):
                on_exit()
        exit_fn = getattr(app, "exit", None)
        if callable(exit_fn):
            try:
                call_from = getattr(app, "call_later", None)
                if callable(call_from):
                    call_from(exit_fn)
                else:
                    exit_fn()
            except Exception:
                pass
        timer = threading.Timer(0.6, os._exit, args=(128 + signum,))
        timer.daemon = True
        timer.start()

    for sig in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, handler)


if __name__ == "__main__":  # pragma: no cover
    main()
