"""Chart data of the monthly summary for the shared charts script (lpse/static/lpse/charts.js).

Every chart repeats numbers the page also shows in a table next to it (accessibility).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .selectors import Metric, MonthlySummary


def _compare(title: str, metrics: list[Metric], summary: MonthlySummary, **extra) -> dict:
    period = summary.period
    return {
        "type": "bar",
        "label": title,
        "labels": [metric.label for metric in metrics],
        "datasets": [
            {"label": period.previous_name, "values": [metric.previous for metric in metrics]},
            {"label": period.name, "values": [metric.current for metric in metrics]},
        ],
        **extra,
    }


def chart_data(summary: MonthlySummary) -> dict:
    """{"charts": [...]} in the bar format of charts.js."""
    charts = []
    for section in summary.sections:
        counts = [metric for metric in section.metrics if not metric.kind]
        if counts:
            charts.append(_compare(section.title, counts, summary))
    for breakdown in summary.breakdowns:
        if breakdown.rows:
            charts.append(
                {
                    "type": "bar",
                    "label": breakdown.title,
                    "labels": [label for label, _count in breakdown.rows],
                    "datasets": [
                        {
                            "label": summary.period.name,
                            "values": [count for _label, count in breakdown.rows],
                        }
                    ],
                    "horizontal": True,
                }
            )
    charts.append(
        {
            "type": "bar",
            "label": _("Kepuasan penanya"),
            "labels": [str(score) for score in summary.ratings],
            "datasets": [{"label": summary.period.name, "values": list(summary.ratings.values())}],
        }
    )
    if summary.uptime:
        charts.append(
            _compare(_("Ketersediaan per pemeriksaan"), summary.uptime, summary, unit="%", max=100)
        )
    if summary.sop:
        charts.append(
            _compare(
                _("Langkah SOP dalam standar waktu"),
                summary.sop,
                summary,
                unit="%",
                max=100,
                horizontal=True,
            )
        )
    return {"charts": charts}
