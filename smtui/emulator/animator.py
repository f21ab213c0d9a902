"""Keeps the demo account moving while ``smtui --demo`` runs."""

from __future__ import annotations

import contextlib
import random
import threading
from typing import Any

from smtui.emulator.demo import CYCLING_CLUSTER, FLAKY_CLUSTER, MOVING_IC, MOVING_JOB
from smtui.emulator.ext.clusters import add_node, set_node_status, track_cluster
from smtui.emulator.ext.inference import scale_ic
from smtui.emulator.ext.jobs import track_training
from smtui.emulator.logs_seed import LogWriter
from smtui.emulator.metrics_seed import advance_metrics
from smtui.emulator.seed import state_of


class Animator:
    """Keeps the demo alive: scales an IC up and down, re-runs a training job, cycles a
    cluster through Updating, and now and then fails and heals a node.

    Each tick only *starts* a change; the server's time-based pacing does the rest.
    """

    def __init__(self, target: Any, *, interval: float = 20.0, seed: int = 1) -> None:
        self.state = state_of(target)
        self.interval = interval
        self._rng = random.Random(seed)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="smtui-demo-animator", daemon=True)
        self._tick = 0
        self.logs = LogWriter(self.state)
        """Writes new log lines every second (this thread's 20 s round is too slow for logs)."""

    def start(self) -> Animator:
        """Start the daemon thread."""
        self._thread.start()
        self.logs.start()
        return self

    def stop(self) -> None:
        """Stop the thread (it exits at its next wake-up)."""
        self._stop.set()
        self.logs.stop()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            # A demo glitch must never kill the emulator.
            with contextlib.suppress(Exception):
                self.step()

    def step(self) -> None:
        """One round of changes."""
        state = self.state
        with state.lock:
            state.sync()
            self._tick += 1
            ic = state.store("inference-component").get(MOVING_IC)
            if ic is not None and ic["InferenceComponentStatus"] == "InService":
                current = int(ic["RuntimeConfig"]["CurrentCopyCount"])
                scale_ic(state, MOVING_IC, 2 if current >= 4 else 4)
            job = state.backend.training_jobs.get(MOVING_JOB)
            if job is not None and state.status("training-job", MOVING_JOB) is None:
                # Pick up where the seed left it, or run it again once it has finished.
                running = job.training_job_status == "InProgress"
                track_training(state, MOVING_JOB, job.secondary_status if running else "Starting")
            cluster = state.backend.clusters.get(CYCLING_CLUSTER)
            if cluster is not None and cluster.status == "InService" and self._tick % 2 == 0:
                track_cluster(state, CYCLING_CLUSTER, "Updating")
            self._flaky_node()
            advance_metrics(state)

    def _flaky_node(self) -> None:
        cluster = self.state.backend.clusters.get(FLAKY_CLUSTER)
        if cluster is None:
            return
        failed = [i for i, n in cluster.nodes.items() if n.status == "Failure"]
        if failed:
            node = cluster.nodes[failed[0]]
            group = next(g for g in cluster.instance_groups if g["InstanceGroupName"] == node.instance_group_name)
            del cluster.nodes[failed[0]]
            add_node(self.state, cluster, group)
        elif self._rng.random() < 0.5:
            workers = [i for i, n in cluster.nodes.items() if n.instance_group_name == "g5-workers"]
            if workers:
                set_node_status(
                    self.state,
                    FLAKY_CLUSTER,
                    self._rng.choice(workers),
                    "Failure",
                    "EFA health check failed on eth1; node will be replaced.",
                )
