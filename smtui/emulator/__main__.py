"""``python -m smtui.emulator``: the emulator in its own process (used by ``smtui --demo``).

Prints exactly one line, ``SMTUI_EMULATOR_URL=http://127.0.0.1:PORT``, then serves until
SIGTERM/SIGHUP/SIGINT or until its parent process dies: it must never outlive smtui.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from smtui.emulator.faults import Credentials
from smtui.emulator.server import EmulatorServer, Pace

URL_PREFIX = "SMTUI_EMULATOR_URL="


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m smtui.emulator", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--seed", choices=("demo", "none"), default="demo", help="initial resources")
    parser.add_argument("--training-jobs", type=int, default=0, metavar="N", help="add N bulk training jobs")
    parser.add_argument(
        "--pace",
        choices=("demo", "immediate"),
        default=None,
        help="status pacing (default: demo with --seed demo, else immediate)",
    )
    parser.add_argument("--no-animate", action="store_true", help="do not keep the demo moving")
    parser.add_argument(
        "--credentials-from-stdin",
        action="store_true",
        help="accept only the credentials in the JSON line read from stdin (never on the command "
        "line, which every local user can read in /proc)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the emulator until told to stop or orphaned."""
    args = _parse(argv)
    parent = os.getppid()
    pace: Pace = args.pace or ("demo" if args.seed == "demo" else "immediate")
    credentials = Credentials.from_json(sys.stdin.readline()) if args.credentials_from_stdin else None
    server = EmulatorServer(port=args.port, pace=pace, credentials=credentials)

    from smtui.emulator.demo import seed_second_region
    from smtui.emulator.seed import seed_demo, seed_training_jobs

    if args.seed == "demo":
        seed_demo(server)
        seed_second_region(server)
    if args.training_jobs:
        seed_training_jobs(server, args.training_jobs, prefix="bulk-job")
    server.start()

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, on_signal)

    animator = None
    if args.seed == "demo" and pace == "demo" and not args.no_animate:
        from smtui.emulator.animator import Animator

        animator = Animator(server).start()

    sys.stdout.write(f"{URL_PREFIX}{server.url}\n")
    sys.stdout.flush()
    # Nobody reads our stdout after the URL line; a full pipe would block the server.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())

    # Polling getppid (rather than PR_SET_PDEATHSIG, which fires when the spawning *thread*
    # exits) notices a parent that died without cleaning up, even from SIGKILL.
    while not stop.wait(1.0):
        if os.getppid() != parent:
            break
    if animator is not None:
        animator.stop()
    server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
