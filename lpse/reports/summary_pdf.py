"""The monthly summary as ONE A4 page (RPT-1): letterhead, tables and bar charts, the head's
signature block. Drawn with reportlab platypus; the body is shrunk to fit its frame, so a
month with many topics or procedures still gives one page."""

from __future__ import annotations

import math
from datetime import date
from io import BytesIO

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepInFrame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from lpse.core import pdf

from .selectors import Metric, MonthlySummary

PREVIOUS_COLOUR = colors.HexColor("#9aa5b1")
CURRENT_COLOUR = colors.HexColor("#1f5fa8")
BODY_TOP = 56 * mm  # below the letterhead and the title
BODY_BOTTOM = 62 * mm  # above the signature block and the footer
SIGNATURE_Y = 52 * mm
SMALL = ParagraphStyle("small", fontName="Helvetica", fontSize=7, leading=8.5)
SMALL_BOLD = ParagraphStyle("small-bold", parent=SMALL, fontName="Helvetica-Bold")
INTRO = ParagraphStyle("intro", fontName="Helvetica", fontSize=8.5, leading=11)


def _metric_table(title: str, metrics: list[Metric], summary: MonthlySummary, width: float):
    period = summary.period
    rows = [
        [
            Paragraph(title, SMALL_BOLD),
            Paragraph(period.previous_name, SMALL_BOLD),
            Paragraph(period.name, SMALL_BOLD),
            Paragraph("+/-", SMALL_BOLD),
        ]
    ]
    for metric in metrics:
        rows.append(
            [
                Paragraph(metric.label, SMALL),
                metric.previous_text,
                metric.current_text,
                metric.delta_text,
            ]
        )
    if len(rows) == 1:
        rows.append([Paragraph(_("Belum ada data."), SMALL), "", "", ""])
    number = 15 * mm
    table = Table(rows, colWidths=[width - 3 * number, number, number, number])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 1), (-1, -1), "Helvetica", 7),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.2, colors.lightgrey),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _bars(title: str, labels: list[str], series: list[list], width: float, *, horizontal=False):
    """A small grouped bar chart (previous month grey, this month blue)."""
    height = 42 * mm
    drawing = Drawing(width, height)
    chart = HorizontalBarChart() if horizontal else VerticalBarChart()
    chart.x, chart.y = (28 * mm, 4 * mm) if horizontal else (8 * mm, 12 * mm)
    chart.width = width - chart.x - 3 * mm
    chart.height = height - chart.y - 10 * mm
    chart.data = [[value or 0 for value in values] for values in series]
    chart.categoryAxis.categoryNames = [label[:22] for label in labels]
    chart.categoryAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = 5.5
    if not horizontal:
        chart.categoryAxis.labels.angle = 25
        chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.labels.fontName = "Helvetica"
    chart.valueAxis.labels.fontSize = 6
    chart.valueAxis.valueMin = 0
    chart.valueAxis.forceZero = 1
    highest = max((max(values) for values in chart.data if values), default=0)
    chart.valueAxis.valueStep = max(1, math.ceil(highest / 4))
    chart.bars[0].fillColor = PREVIOUS_COLOUR if len(series) > 1 else CURRENT_COLOUR
    if len(series) > 1:
        chart.bars[1].fillColor = CURRENT_COLOUR
    chart.barSpacing = 0.5
    drawing.add(chart)
    drawing.add(String(0, height - 4 * mm, title, fontName="Helvetica-Bold", fontSize=7.5))
    return drawing


def _legend(summary: MonthlySummary, width: float) -> Drawing:
    drawing = Drawing(width, 5 * mm)
    legend = Legend()
    legend.x, legend.y = 0, 4 * mm
    legend.fontName, legend.fontSize = "Helvetica", 7
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 45 * mm
    legend.colorNamePairs = [
        (PREVIOUS_COLOUR, summary.period.previous_name),
        (CURRENT_COLOUR, summary.period.name),
    ]
    drawing.add(legend)
    return drawing


def _body(summary: MonthlySummary, width: float) -> list:
    period = summary.period
    column = (width - 6 * mm) / 2
    sections = {section.key: section for section in summary.sections}
    sop_rows = [*summary.sop, summary.sop_overall]
    uptime = summary.uptime or []
    left = [
        sections["registrations"],
        sections["desk"],
        sections["training"],
        sections["tenders"],
    ]
    right = [sections["failures"], sections["incidents"], sections["backups"]]
    left_flow = [_metric_table(s.title, s.metrics, summary, column) for s in left]
    right_flow = [_metric_table(s.title, s.metrics, summary, column) for s in right]
    right_flow.append(_metric_table(_("Ketersediaan per pemeriksaan (%)"), uptime, summary, column))
    right_flow.append(
        _metric_table(_("Langkah SOP dalam standar waktu (SOP-3)"), sop_rows, summary, column)
    )
    last = summary.last_verified_backup
    last_text = (
        _("Cadangan terakhir yang lolos pemeriksaan: %(id)s, %(when)s.")
        % {
            "id": last.backup_id,
            "when": timezone.localtime(last.started_at).strftime("%d-%m-%Y %H:%M"),
        }
        if last
        else _("Belum ada cadangan yang lolos pemeriksaan sampai akhir bulan ini.")
    )
    right_flow.append(Paragraph(last_text, SMALL))
    columns = Table(
        [[_stack(left_flow), _stack(right_flow)]],
        colWidths=[column + 3 * mm, column + 3 * mm],
    )
    columns.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm),
            ]
        )
    )
    registrations = [m for m in sections["registrations"].metrics if not m.kind]
    channel = next(b for b in summary.breakdowns if b.key == "channel")
    chart_width = (width - 4 * mm) / 3
    charts = Table(
        [
            [
                _bars(
                    sections["registrations"].title,
                    [m.label for m in registrations],
                    [[m.previous for m in registrations], [m.current for m in registrations]],
                    chart_width,
                ),
                _bars(
                    channel.title,
                    [label for label, _count in channel.rows] or ["-"],
                    [[count for _label, count in channel.rows] or [0]],
                    chart_width,
                    horizontal=True,
                ),
                _bars(
                    _("Insiden"),
                    [m.label for m in sections["incidents"].metrics],
                    [
                        [m.previous for m in sections["incidents"].metrics],
                        [m.current for m in sections["incidents"].metrics],
                    ],
                    chart_width,
                ),
            ]
        ],
        colWidths=[chart_width + 2 * mm] * 3,
    )
    charts.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    intro = _(
        "Ringkasan layanan %(lpse)s bulan %(month)s, dibandingkan dengan bulan %(previous)s. "
        "Kolom +/- adalah selisih terhadap bulan sebelumnya (pp: poin persentase)."
    ) % {"lpse": settings.LPSE_NAME, "month": period.name, "previous": period.previous_name}
    return [
        Paragraph(intro, INTRO),
        Spacer(1, 2 * mm),
        _legend(summary, width),
        charts,
        Spacer(1, 2 * mm),
        columns,
    ]


def _stack(flowables: list) -> Table:
    table = Table([[item] for item in flowables])
    table.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5 * mm),
            ]
        )
    )
    return table


def summary_pdf(summary: MonthlySummary, *, signer_name: str, day: date | None = None) -> bytes:
    """The one-page PDF of `summary`, dated `day` (today) and signed by `signer_name`."""
    day = day or timezone.localdate()
    period = summary.period
    title = _("Ringkasan Bulanan %(month)s") % {"month": period.name}
    buffer = BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=pdf.A4,
        title=title,
        author=settings.LPSE_NAME,
        invariant=1,
        pageCompression=0,
        leftMargin=pdf.LEFT,
        rightMargin=pdf.LEFT,
        topMargin=BODY_TOP,
        bottomMargin=BODY_BOTTOM,
    )
    frame = Frame(
        document.leftMargin,
        document.bottomMargin,
        document.width,
        document.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )

    def decorate(canvas, _document) -> None:
        canvas.saveState()
        pdf.letterhead(canvas, title)
        pdf.head_signature(
            canvas,
            SIGNATURE_Y,
            place=settings.LPSE_LETTER_PLACE,
            day=day,
            title=settings.LPSE_HEAD_TITLE,
            name=signer_name,
            nip=settings.LPSE_HEAD_NIP,
        )
        pdf.footer(canvas, _("Ringkasan bulanan %(code)s") % {"code": period.code}, 1, 1)
        canvas.restoreState()

    document.addPageTemplates([PageTemplate(id="summary", frames=[frame], onPage=decorate)])
    body = KeepInFrame(document.width, document.height, _body(summary, document.width), "shrink")
    document.build([body])
    return buffer.getvalue()
