"""The describe view's metrics panel: per metric, its label, a sparkline of the last hour and
``last · min–max``. One row per metric; the panel scrolls (Tab reaches it) when they do not fit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Sparkline, Static

from smtui.service.metrics import MetricSeries, MetricsReport, format_value
from smtui.text import printable


class MetricRow(Horizontal):
    """One metric: label, sparkline, values."""

    DEFAULT_CSS = """
    MetricRow { height: 1; }
    MetricRow > .metric-label { width: 20; color: $text-muted; }
    MetricRow > Sparkline { width: 1fr; min-width: 10; height: 1; }
    MetricRow > .metric-values { width: 27; padding-left: 1; }
    """

    def __init__(self, series: MetricSeries) -> None:
        super().__init__()
        self.series = series

    def compose(self) -> ComposeResult:
        yield Static(printable(self.series.query.label)[:19], classes="metric-label", markup=False)
        yield Sparkline(self.series.spark(), summary_function=max)
        yield Static(self.values_text(), classes="metric-values", markup=False)

    def values_text(self) -> str:
        s = self.series
        if s.last is None:
            return "no data"
        # The range keeps the unit's rounding (a percentage is whole) but not its symbol.
        low, high = (format_value(v, s.query.unit).removesuffix("%").removesuffix(" ms") for v in (s.low, s.high))
        return f"{s.text(s.last)} ({low}–{high})"[:26]

    def update_series(self, series: MetricSeries) -> None:
        self.series = series
        self.query_one(Sparkline).data = series.spark()
        self.query_one(".metric-values", Static).update(self.values_text())


class MetricsPanel(VerticalScroll, can_focus=True):
    """Every metric of one resource, refreshed by the view's feed (:meth:`show`)."""

    DEFAULT_CSS = """
    MetricsPanel {
        height: auto;
        max-height: 30%;
        padding: 0 1;
        border-top: solid $primary 50%;
    }
    MetricsPanel:focus { border-top: solid $accent; }
    MetricsPanel > .metrics-title { height: 1; color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: dict[str, MetricRow] = {}
        self.status = ""

    def compose(self) -> ComposeResult:
        yield Static("metrics · last hour, 1-minute points · loading…", classes="metrics-title", markup=False)

    def show(self, report: MetricsReport) -> None:
        """Paint one tick: new rows are mounted, existing ones updated in place (no flicker)."""
        title = self.query_one(".metrics-title", Static)
        if report.error is not None:
            # The last good values stay; the error says why they are not moving.
            title.update(printable(f"metrics · {report.error} · {report.status}"))
            return
        with_data = sum(1 for s in report.series if s.last is not None)
        if report.series and not with_data:
            # Rows of "no data" took a third of an 80×24 describe view (a failed job's 13
            # metrics): one line says it, and the rows come when a point does.
            title.update(f"metrics · last hour · no data for its {len(report.series)} metrics · {report.status}")
            for hidden in self.rows.values():
                hidden.display = False
            return
        title.update(f"metrics · last hour · {with_data}/{len(report.series)} with data · {report.status}")
        for shown in self.rows.values():
            shown.display = True
        fresh: list[MetricRow] = []
        for series in report.series:
            row = self.rows.get(series.query.id)
            if row is None:
                row = MetricRow(series)
                self.rows[series.query.id] = row
                fresh.append(row)
            else:
                row.update_series(series)
        if fresh:
            self.mount_all(fresh)

    @property
    def series(self) -> list[MetricSeries]:
        """What is shown now (the incident bundle writes it)."""
        return [row.series for row in self.rows.values()]
