"""When to ask SageMaker again: smtui's one pacing policy, for every loop that polls.

The policy
==========

This docstring is the policy's one written statement; :class:`Pacer` is its one implementation.
The list and describe views (through :class:`~smtui.live.poller.Poller`), the what's-burning view
and the retry of a list that never loaded are all meant to be paced by it.

1. **Normal cadence.** After a good poll the next one is due ``fast_seconds`` later while
   anything shown is in transition (Creating, Updating, Pending…), ``slow_seconds`` later when
   everything is stable. The time counts from the *end* of the poll, so a slow link cannot make
   polls pile up.
2. **Retryable errors** (``Throttled``, ``Unreachable``: ``AwsError.retryable``) back off:
   full-jitter exponential backoff, the n-th failure in a row waits a uniform draw from
   ``[0, min(max_backoff_seconds, normal * 2**n)]`` raised to at least ``fast_seconds`` (so a
   near-zero draw does not hit the same throttle at once). Jitter keeps several smtui sessions
   sharing one account's rate limit from retrying in lock-step. The first good poll resets it.
3. **Permanent errors** (anything else: access denied, expired or missing credentials,
   validation, a list whose parent is gone…) are *not* retried on a timer: retrying cannot
   fix them, and a fix made elsewhere (an ``aws sso login`` in another terminal, a policy
   change) is what the user's ``r`` is for. The pace waits for the user, and says so:
   ``access denied · waiting: press r to retry``.
4. **Nothing jumps the queue but the user.** A view coming back into sight, or a write handing
   over to the poller, may ask for a poll (:meth:`Pacer.request`): granted at once when live,
   at the backoff's due time when backing off, not at all while waiting for the user. Only an
   explicit refresh (:meth:`Pacer.refresh`: the user pressed ``r``) polls at once whatever the
   state; it keeps the failure count, so mashing ``r`` under throttling still backs off further
   after each failed try.
5. **Hidden views make no requests.** The pace only says *when*; a loop whose view is hidden
   does not poll at all, whatever is due (the poller's ``pause``).
6. **The status line counts down.** :meth:`Pacer.status_text` (and
   :meth:`~smtui.live.events.PollStatus.text_at`) render the state for any ``now``
   (``throttled · next poll in 7s``, a second later ``6s``), so a UI re-renders it once a
   second without the loop reporting anything.

The :class:`Pacer` is pure: no asyncio, no timers, the clock (``monotonic``) and the jitter
(``rng``) injectable; every method takes an optional ``now``.

Driving it from a loop
======================

A loop that is not a :class:`~smtui.live.poller.Poller` (the what's-burning view, say)::

    pacer = Pacer(settings.poll)
    wake = asyncio.Event()          # set by on_resume / on_refresh below

    async def loop() -> None:
        while True:
            try:
                report = await gather()
            except AwsError as error:
                pacer.failure(error)            # backoff, or wait for the user
            else:
                pacer.success(transitional=report.busy)
            show(pacer.status_text())           # and again once a second, from a UI timer
            while (delay := pacer.delay()) != 0:    # None: waiting for the user, no timeout
                wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), timeout=delay)
                # (a hidden view would also wait here until it is shown again)

    def on_resume() -> None:        # the view came back: a poll if the policy allows one
        if pacer.request():
            wake.set()

    def on_refresh() -> None:       # the user pressed r: a poll now, whatever the state
        pacer.refresh()
        wake.set()
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Literal

from smtui.aws.errors import AwsError
from smtui.config import PollSettings
from smtui.live.events import backoff_delay, pace_text

PaceState = Literal["idle", "live", "backoff", "error"]
"""``idle``: nothing polled yet (the first poll is due at once); ``live``: normal cadence;
``backoff``: after a retryable error; ``error``: after a permanent one (see
:attr:`Pacer.waiting_for_user`). A subset of :data:`smtui.live.events.State`."""


class Pacer:
    """The pace of one polling loop: when the next poll is due, and how to say so.

    Feed it what happened (:meth:`success`, :meth:`failure`) and what was asked
    (:meth:`request`, :meth:`refresh`, :meth:`retune`); read :attr:`due` / :meth:`delay`
    and :meth:`status_text`. See the module docstring for the policy.

    ``transitional`` is the cadence before the first success (True: retries of a view that
    never loaded start from ``fast_seconds``).
    """

    def __init__(
        self,
        settings: PollSettings | None = None,
        *,
        rng: random.Random | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        transitional: bool = False,
    ) -> None:
        self.settings = settings or PollSettings()
        self.rng = rng or random.Random()
        self._monotonic = monotonic
        self.transitional = transitional
        self.state: PaceState = "idle"
        self.failures = 0
        """Retryable failures in a row (reset by a success only)."""
        self.error: AwsError | None = None
        """The fault behind ``backoff``/``error``; while ``live``, a permanent error that part
        of what is watched still has (``success(partial=...)``)."""
        self.interval = self.normal_interval()
        """The wait chosen at the last event (the normal interval while waiting for the user)."""
        self._since = self._monotonic()
        self.due: float | None = self._since
        """Monotonic time the next poll is due; None while waiting for the user."""

    # ------------------------------------------------------------------ reading
    def normal_interval(self, transitional: bool | None = None) -> float:
        """``fast_seconds`` while anything is in transition, else ``slow_seconds``."""
        busy = self.transitional if transitional is None else transitional
        return self.settings.fast_seconds if busy else self.settings.slow_seconds

    @property
    def waiting_for_user(self) -> bool:
        """True after a permanent error: no poll is due until :meth:`refresh`."""
        return self.state == "error" and self.due is None

    @property
    def backing_off(self) -> bool:
        """True after a retryable error, until the next success."""
        return self.state == "backoff"

    def delay(self, now: float | None = None) -> float | None:
        """Seconds until the next poll is due (0 once due); None while waiting for the user."""
        if self.due is None:
            return None
        return max(0.0, self.due - self._now(now))

    def status_text(self, now: float | None = None) -> str:
        """``live · every 30s``, ``throttled · next poll in 7s`` (counting down with ``now``),
        ``access denied · waiting: press r to retry``."""
        return pace_text(self.state, interval=self.interval, error=self.error, due=self.due, now=self._now(now))

    # ------------------------------------------------------------------ what happened
    def success(self, transitional: bool, *, partial: AwsError | None = None, now: float | None = None) -> float:
        """A poll went through. ``transitional``: anything shown is in transition. ``partial``:
        a permanent error part of the poll still has (one watch of several), mentioned in the
        status text while the rest keeps the normal cadence. Returns the delay to the next poll."""
        at = self._now(now)
        self.transitional = transitional
        self.state = "live"
        self.failures = 0
        self.error = partial
        self.interval = self.normal_interval()
        self._since = at
        self.due = at + self.interval
        return self.interval

    def failure(self, error: AwsError, *, now: float | None = None) -> float | None:
        """A poll failed. Retryable: back off (returns the delay). Permanent: wait for the user
        (returns None)."""
        at = self._now(now)
        self.error = error
        self._since = at
        if error.retryable:
            self.failures += 1
            self.state = "backoff"
            self.interval = backoff_delay(
                self.failures,
                self.normal_interval(),
                self.settings.max_backoff_seconds,
                self.rng,
                floor=self.settings.fast_seconds,
            )
            self.due = at + self.interval
            return self.interval
        self.state = "error"
        self.interval = self.normal_interval()
        self.due = None
        return None

    # ------------------------------------------------------------------ what was asked
    def request(self, now: float | None = None) -> bool:
        """Someone would like a poll soon (a view came back, a write's hand-off). When live or
        idle the poll is due at once; backing off, it stays due when the backoff says; waiting
        for the user, it stays not due. True if a poll is due now."""
        at = self._now(now)
        if self.state in ("idle", "live"):
            self.due = at if self.due is None else min(self.due, at)
        return self.due is not None and self.due <= at

    def refresh(self, now: float | None = None) -> None:
        """The user asked (``r``): a poll is due at once, whatever the state. A wait for the
        user ends; the failure count is kept, so another retryable failure backs off further."""
        self.due = self._now(now)

    def retune(self, transitional: bool, now: float | None = None) -> None:
        """What is watched changed between polls (a Creating endpoint was opened): at the normal
        cadence, the next poll moves to one new interval after the last one. A backoff or a
        wait for the user is left alone."""
        self.transitional = transitional
        if self.state == "live":
            self.interval = self.normal_interval()
            self.due = self._since + self.interval

    def _now(self, now: float | None) -> float:
        return self._monotonic() if now is None else now
