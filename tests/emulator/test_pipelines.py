"""ListPipelineExecutions answers as SageMaker does: newest first, paged, reason only on failure.

moto listed every execution oldest first with ``PipelineExecutionFailureReason: "None"`` (a
str of None) on each one that had not failed, so the REASON column read "None" and the
newest run sat at the bottom.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from smtui.emulator.seed import seed_demo
from smtui.emulator.server import EmulatorServer


async def _names(sm: Any, **params: Any) -> tuple[list[str], str | None]:
    answer = await sm.list_pipeline_executions(PipelineName="llm-eval-pipeline", **params)
    return [s["PipelineExecutionDisplayName"] for s in answer["PipelineExecutionSummaries"]], answer.get("NextToken")


async def test_executions_list_newest_first_and_page(sm: Any, emu: EmulatorServer) -> None:
    seed_demo(emu)
    answer = await sm.list_pipeline_executions(PipelineName="llm-eval-pipeline")
    summaries = answer["PipelineExecutionSummaries"]
    assert [s["PipelineExecutionDisplayName"] for s in summaries] == [
        f"llm-eval-pipeline-run-{n}" for n in (4, 3, 2, 1)
    ]
    reasons = {s["PipelineExecutionDisplayName"]: s.get("PipelineExecutionFailureReason") for s in summaries}
    assert reasons["llm-eval-pipeline-run-3"] == "Step Train failed: AlgorithmError: loss is NaN"
    assert all(r is None for name, r in reasons.items() if name != "llm-eval-pipeline-run-3")
    first, token = await _names(sm, MaxResults=2, SortOrder="Ascending")
    assert first == ["llm-eval-pipeline-run-1", "llm-eval-pipeline-run-2"] and token
    rest, token = await _names(sm, MaxResults=2, SortOrder="Ascending", NextToken=token)
    assert rest == ["llm-eval-pipeline-run-3", "llm-eval-pipeline-run-4"] and token is None
    recent, _ = await _names(sm, CreatedAfter=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=150))
    assert recent == ["llm-eval-pipeline-run-4", "llm-eval-pipeline-run-3"]
