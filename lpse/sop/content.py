"""The content of a procedure as one plain document (SOP-1).

The same shape serves three purposes: it is what the YAML files under
`lpse/sop/data/` hold, the full snapshot a `ProcedureRevision` keeps, and what
`revise_procedure` takes from the edit page. Dates are ISO strings, absent
text is "", lists are lists of strings; each step has number, group,
group_title, description, executors, requirements, time and output.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .standards import parse_time_standard

TEXT_FIELDS = (
    "flow_code",
    "chapter",
    "chapter_title",
    "title",
    "source_title",
    "activity",
    "flow_title",
    "issuer",
    "number",
    "approved_by",
    "regulation",
    "related_text",
    "executor_qualification",
    "equipment",
    "recording_duty",
    "period",
    "notes",
)
DATE_FIELDS = ("created_on", "revised_on", "effective_on", "appendix_date")
LIST_FIELDS = ("legal_basis", "related_codes", "warnings")
HEADER_FIELDS = ("code", *TEXT_FIELDS, *DATE_FIELDS, *LIST_FIELDS)
STEP_TEXT_FIELDS = ("group", "group_title", "description", "requirements", "time", "output")
STEP_FIELDS = ("number", *STEP_TEXT_FIELDS, "executors")

#: Step content key -> Step model field.
STEP_MODEL_FIELDS = {"time": "time_text"}

STEP_LABELS = {
    "number": _("Nomor"),
    "group": _("Butir"),
    "group_title": _("Kelompok"),
    "description": _("Uraian kegiatan"),
    "executors": _("Pelaksana"),
    "requirements": _("Persyaratan/kelengkapan"),
    "time": _("Waktu"),
    "output": _("Output"),
}


class ContentError(ValueError):
    """A procedure document that does not have the registry's shape."""


def _text(value: Any, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ContentError(f"{where}: expected text, got {value!r}")
    return str(value).strip()


def _date(value: Any, where: str) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        raise ContentError(f"{where}: expected a date, got a date and time {value!r}")
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ContentError(f"{where}: expected a date (YYYY-MM-DD), got {value!r}") from None


def _list(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ContentError(f"{where}: expected a list, got {value!r}")
    return [_text(item, where) for item in value if _text(item, where)]


def normalise(raw: Any, *, source: str = "") -> dict:
    """Check a procedure document and bring it to the canonical shape.

    Raises ContentError naming the file (`source`), the field and, for steps,
    the step number; every step's time text must parse (SOP-3).
    """
    prefix = f"{source}: " if source else ""
    if not isinstance(raw, dict):
        raise ContentError(f"{prefix}a procedure must be a mapping")
    code = _text(raw.get("code"), f"{prefix}code")
    if not code:
        raise ContentError(f"{prefix}code is missing")
    content: dict[str, Any] = {"code": code}
    for name in TEXT_FIELDS:
        content[name] = _text(raw.get(name), f"{prefix}{name}")
    for name in DATE_FIELDS:
        content[name] = _date(raw.get(name), f"{prefix}{name}")
    for name in LIST_FIELDS:
        content[name] = _list(raw.get(name), f"{prefix}{name}")
    if not content["chapter"] or not content["title"]:
        raise ContentError(f"{prefix}chapter and title are required")
    raw_steps = raw.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ContentError(f"{prefix}steps must be a non-empty list")
    steps = []
    seen: set[int] = set()
    for index, raw_step in enumerate(raw_steps, start=1):
        if not isinstance(raw_step, dict):
            raise ContentError(f"{prefix}step {index} must be a mapping")
        number = raw_step.get("number")
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise ContentError(f"{prefix}step {index}: number must be a positive integer")
        if number in seen:
            raise ContentError(f"{prefix}step number {number} appears twice")
        seen.add(number)
        where = f"{prefix}step {number}"
        step = {"number": number}
        for name in STEP_TEXT_FIELDS:
            step[name] = _text(raw_step.get(name), f"{where} {name}")
        step["executors"] = _list(raw_step.get("executors"), f"{where} executors")
        if not step["description"]:
            raise ContentError(f"{where}: description is required")
        try:
            parse_time_standard(step["time"])
        except ValueError as exc:
            raise ContentError(f"{where}: {exc}") from None
        steps.append(step)
    content["steps"] = sorted(steps, key=lambda step: step["number"])
    return content


def procedure_content(procedure, steps=None) -> dict:
    """The canonical document of a stored procedure (header and steps)."""
    content: dict[str, Any] = {"code": procedure.code}
    for name in TEXT_FIELDS:
        content[name] = getattr(procedure, name)
    for name in DATE_FIELDS:
        value = getattr(procedure, name)
        content[name] = value.isoformat() if value else None
    for name in LIST_FIELDS:
        content[name] = list(getattr(procedure, name) or [])
    if steps is None:
        steps = procedure.steps.order_by("number")
    content["steps"] = [step_content(step) for step in steps]
    return content


def step_content(step) -> dict:
    data: dict[str, Any] = {"number": step.number}
    for name in STEP_TEXT_FIELDS:
        data[name] = getattr(step, STEP_MODEL_FIELDS.get(name, name))
    data["executors"] = list(step.executors or [])
    return data


def header_values(content: dict) -> dict:
    """Model field values of the header (dates as date objects), without the code."""
    values: dict[str, Any] = {name: content[name] for name in TEXT_FIELDS}
    for name in DATE_FIELDS:
        values[name] = dt.date.fromisoformat(content[name]) if content[name] else None
    for name in LIST_FIELDS:
        values[name] = list(content[name])
    return values


def step_values(step: dict) -> dict:
    """Model field values of a step (without procedure and number)."""
    return {
        STEP_MODEL_FIELDS.get(name, name): step[name] for name in STEP_FIELDS if name != "number"
    }


@dataclass(frozen=True)
class Change:
    key: str  # "title", "steps.9.time", "steps.10"
    label: str
    before: Any
    after: Any

    @property
    def before_text(self) -> str:
        return display(self.before)

    @property
    def after_text(self) -> str:
        return display(self.after)


def display(value: Any) -> str:
    """A content value as one line of text for the revision history."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if isinstance(value, dict):
        executors = ", ".join(value.get("executors") or []) or "-"
        return gettext("%(description)s (pelaksana: %(executors)s; waktu: %(time)s)") % {
            "description": value.get("description", ""),
            "executors": executors,
            "time": value.get("time") or "-",
        }
    return str(value)


def _header_label(name: str) -> str:
    from .models import Procedure

    if name == "code":
        return str(Procedure._meta.get_field("code").verbose_name)
    return str(Procedure._meta.get_field(name).verbose_name).capitalize()


def diff(before: dict | None, after: dict) -> list[Change]:
    """What changed from one document to the next: header fields, then steps by number.

    A step added or removed is one change (before or after None); a changed
    step gives one change per changed field.
    """
    before = before or {}
    changes: list[Change] = []
    for name in HEADER_FIELDS:
        if before.get(name) != after.get(name):
            changes.append(Change(name, _header_label(name), before.get(name), after.get(name)))
    old_steps = {step["number"]: step for step in before.get("steps", [])}
    new_steps = {step["number"]: step for step in after.get("steps", [])}
    for number in sorted(old_steps.keys() | new_steps.keys()):
        old, new = old_steps.get(number), new_steps.get(number)
        step_label = gettext("Langkah %(number)s") % {"number": number}
        if old is None or new is None:
            changes.append(Change(f"steps.{number}", step_label, old, new))
            continue
        for name in STEP_FIELDS:
            if old.get(name) != new.get(name):
                changes.append(
                    Change(
                        f"steps.{number}.{name}",
                        f"{step_label}: {STEP_LABELS[name]}",
                        old.get(name),
                        new.get(name),
                    )
                )
    return changes


def audit_delta(changes: list[Change]) -> tuple[dict, dict]:
    """before/after dicts for the audit event: only what changed."""
    return (
        {change.key: change.before for change in changes},
        {change.key: change.after for change in changes},
    )
