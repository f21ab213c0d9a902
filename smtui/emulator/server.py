"""The local SageMaker: moto in server mode on 127.0.0.1, extended, behind fault injection."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any, Literal

from moto.moto_api import state_manager
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

from smtui.emulator import lifecycle
from smtui.emulator.ext import ExtState, ext, install
from smtui.emulator.faults import Credentials, FaultInjector

__all__ = ["DEFAULT_ACCOUNT", "DEFAULT_REGION", "EmulatorServer", "Pace"]

DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"
LOCALHOST = "127.0.0.1"
Pace = Literal["immediate", "demo"]


class _QuietHandler(MotoRequestHandler):
    """moto's handler without one access-log line per request (it would flood the TUI)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


class EmulatorServer:
    """moto + the smtui extension, served over HTTP from a background thread.

    Binds only to 127.0.0.1, so it is never reachable from another machine. Without
    ``credentials`` it accepts any (the tests' in-process emulator); with them, only those
    (``smtui --demo``'s child: other local users cannot drive it).
    """

    def __init__(
        self,
        host: str = LOCALHOST,
        port: int = 0,
        *,
        pace: Pace = "immediate",
        seed: int = 0,
        credentials: Credentials | None = None,
    ) -> None:
        if host not in (LOCALHOST, "localhost"):
            raise ValueError("the emulator binds only to 127.0.0.1")
        install()
        self.host = LOCALHOST
        self.port = port
        self.pace: Pace = pace
        self.faults = FaultInjector(
            DomainDispatcherApplication(create_backend_app), seed=seed, control=self, credentials=credentials
        )
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ lifecycle of the server

    def start(self) -> EmulatorServer:
        """Start serving (returns self, so ``EmulatorServer().start()`` reads well)."""
        with self._lock:
            if self._server is not None:
                return self
            self.apply_pace()
            server = make_server(self.host, self.port, self.faults, threaded=True, request_handler=_QuietHandler)
            self.port = server.socket.getsockname()[1]
            self._server = server
            self._thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="smtui-emulator",
                daemon=True,
            )
            self._thread.start()
            return self

    def stop(self) -> None:
        """Stop serving and close the listening socket; state is kept (see :meth:`resume`)."""
        with self._lock:
            server, thread = self._server, self._thread
            self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def pause(self) -> None:
        """Close the port so clients get "connection refused"; :meth:`resume` reopens it."""
        self.stop()

    def resume(self) -> None:
        """Serve again on the same port, with the same state."""
        self.start()

    @property
    def running(self) -> bool:
        """Whether the port is open."""
        return self._server is not None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (only meaningful once started)."""
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ state

    def backend(self, account: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION) -> Any:
        """moto's SageMaker backend object, for seeding in process."""
        from moto.sagemaker.models import sagemaker_backends

        return sagemaker_backends[account][region]

    def ext(self, account: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION) -> ExtState:
        """The extension state (inference components, MLflow, lifecycles…) of a backend."""
        return ext(self.backend(account, region))

    def reset(self) -> None:
        """Wipe every resource (like ``POST /moto-api/reset``), faults, counts and pacing."""
        from moto.core.base_backend import BackendDict
        from moto.core.model_instances import reset_model_data

        from smtui.emulator.ext.clusters import reset_ids

        BackendDict.reset()
        reset_model_data()
        reset_ids()
        self.faults.clear()
        self.faults.clear_requests()
        self.apply_pace()

    def fail(self, name: str, reason: str, *, account: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION) -> str:
        """Send the named resource (endpoint, IC, job, cluster, node id, tracking server…) to
        its failed state with ``reason``; returns the kind matched.  KeyError if none."""
        return self.ext(account, region).fail(name, reason)

    def set_pace(self, model_or_all: str, transition: Mapping[str, Any]) -> None:
        """Set the progression of one model (``training-job`` or ``sagemaker::training-job``)
        or of all (``"*"``).  Statuses first catch up under the old pace, so a change of
        pace never rewrites what a client could already have seen."""
        self.sync_all()
        lifecycle.set_pace(model_or_all, transition)

    def sync_all(self) -> None:
        """Bring every account/region's moving statuses up to date."""
        from moto.sagemaker.models import sagemaker_backends

        for account in list(sagemaker_backends.values()):
            for backend in list(account.values()):
                state = backend.__dict__.get("_smtui_ext")
                if isinstance(state, ExtState):
                    state.sync()

    def apply_pace(self) -> None:
        """Apply this server's default pace to every model."""
        lifecycle.clear_pace()
        if self.pace == "demo":
            lifecycle.set_demo_pace()
        else:
            lifecycle.set_pace("*", lifecycle.IMMEDIATE)

    def transition(self, model: str) -> dict[str, Any]:
        """The current progression of a model."""
        result: dict[str, Any] = state_manager.get_transition(lifecycle.model_name(model))
        return result

    def sync(self, account: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION) -> None:
        """Bring statuses up to date without a request (seeds and the demo animator use it)."""
        self.ext(account, region).sync()
