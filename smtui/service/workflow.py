"""The write workflow's order, without a screen: plan -> form -> confirm -> submit -> outcome.

:mod:`smtui.service.actions` decides each step (what the plan is, how a send is retried, how
an outcome is worded). This module decides their *order* and what happens between them, so
the rules that keep a write safe hold whichever UI drives it:

- A refusal at planning (read-only, nothing selected) is said and nothing is sent.
- A batch node operation is confirmed once with every id, then sent in chunks.
- A plain delete (the record supplies the whole input) goes straight to its confirmation.
- Otherwise the form opens with the draft kept for *this* target (the draft key names the
  profile, region, operation and resource), the user submits, confirms, and it is sent.
  Declining the confirmation goes back to the form with every value kept.
- A failure is kept as the draft, with the server's error beside its field. The form reopens
  only where the user submitted from: if they have moved on, the failure comes as a
  notification that says how to get the values back, never as a screen over another one.
- A failure of a submit that a newer one to the same resource has superseded is history:
  it is said, and the form does not reopen.
- A success discards the draft (offering it again would invite a second send) and says what
  changed and where it will show.

A :class:`Presenter` renders the states; the UI's is a set of screens, a test's is a script.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from smtui.forms.drafts import Draft, discard_draft, load_draft, prune_drafts, save_draft
from smtui.forms.model import Change
from smtui.service.actions import ActionPlan, Outcome, Refusal, Severity
from smtui.service.service import Service


class Presenter(Protocol):
    """What a UI does at each step of a write. Every method may await the user."""

    async def edit(self, plan: ActionPlan, draft: Draft | None) -> dict[str, Any] | None:
        """Show the form for ``plan.model``; the request to send, or None when closed."""

    async def confirm(self, plan: ActionPlan, params: Mapping[str, Any]) -> bool:
        """Ask as ``plan.definition.danger`` says (nothing, yes/no, or the typed name)."""

    async def confirm_batch(self, plan: ActionPlan) -> bool:
        """Ask about every id of a batch node operation."""

    def sending(self, label: str, *, done: bool) -> None:
        """A request named ``label`` is in flight (``done`` False) or answered (True)."""

    def say(self, message: str, severity: Severity = "information", timeout: float | None = None) -> None:
        """A line for the user where they are now."""

    def here(self) -> object:
        """A token for the view the user is on (compared by identity later)."""


async def run_write(
    service: Service,
    plan: ActionPlan | Refusal,
    presenter: Presenter,
) -> Outcome | None:
    """Run one planned action to its end; the last outcome, or None when nothing was sent."""
    if isinstance(plan, Refusal):
        presenter.say(plan.message, plan.severity)
        return None
    if plan.is_batch:
        if not await presenter.confirm_batch(plan):
            return None
        outcome = await service.submit_batch(plan)
        _tell(presenter, outcome)
        return outcome
    if not plan.show_form:
        request = plan.model.request()
        if not await presenter.confirm(plan, request):
            return None
        outcome = await send(service, plan, request, presenter)
        _tell(presenter, outcome)
        return outcome
    return await _form_loop(service, plan, presenter)


async def send(
    service: Service,
    plan: ActionPlan,
    params: Mapping[str, Any],
    presenter: Presenter,
    changes: Sequence[Change] = (),
) -> Outcome:
    """Submit once under the write policy, with the presenter showing it in flight throughout."""
    label = f"{plan.op} {plan.name}".strip()
    presenter.sending(label, done=False)
    try:
        return await service.submit(
            plan.op, params, plan.name, rtype=plan.rtype, progress=presenter.say, changes=changes
        )
    finally:
        presenter.sending(label, done=True)


def _tell(presenter: Presenter, outcome: Outcome) -> None:
    if outcome.ok:
        presenter.say(outcome.message)
    else:
        presenter.say(outcome.message, "error", 8)


async def _form_loop(service: Service, plan: ActionPlan, presenter: Presenter) -> Outcome | None:
    model, name = plan.model, plan.name
    prune_drafts()  # a draft older than a month is no longer what anyone meant
    last: Outcome | None = None
    while True:
        params = await presenter.edit(plan, load_draft(plan.draft_key))
        if params is None:
            return last
        if not await presenter.confirm(plan, params):
            continue  # back to the form: nothing typed is lost
        origin = presenter.here()  # the view the user submitted from, once the form is gone
        last = await send(service, plan, params, presenter, model.changes() if model.is_update else ())
        if last.error is None:
            discard_draft(plan.draft_key)
            presenter.say(last.message)
            return last
        model.set_server_error(last.error)
        save_draft(plan.draft_key, model.state, context=name)
        if last.superseded:
            presenter.say(f"{last.message} (a newer change to {name or 'it'} was sent since)", timeout=8)
            return last
        if presenter.here() is not origin:
            presenter.say(
                f"{last.message} · what you typed is kept: open {model.op} again and press Ctrl+R",
                "error",
                20,
            )
            return last
        presenter.say(last.message, "error", 12)
