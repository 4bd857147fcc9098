"""The Lampiran V maintenance checklist as recurring cycles (MNT-1)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from lpse.accounts.choices import Role
from lpse.audit.models import AuditEvent
from lpse.conftest import login, make_user
from lpse.ops.models import ProbeRun

from .. import checklist_services
from ..choices import ItemStatus
from ..models import MaintenanceCycle, MaintenanceItem
from .conftest import WIB, travel


@pytest.mark.django_db
def test_cycle_is_due_after_seven_working_days_skipping_a_holiday(sops):
    """MNT-1: a cycle starting Friday 14 August 2026 skips the weekend, 17 August
    (Independence Day) and 25 August (Maulid Nabi): due Thursday 27 August."""
    cycle, created = checklist_services.create_cycle(starts_on=date(2026, 8, 14))
    assert created
    assert cycle.due_on == date(2026, 8, 27)
    again, created = checklist_services.create_cycle(starts_on=date(2026, 8, 14))
    assert not created and again.pk == cycle.pk
    assert AuditEvent.objects.filter(action="facility.cycle_created").count() == 1


@pytest.mark.django_db
def test_cycle_items_are_the_sop_rows_with_their_roles(sops):
    """MNT-1: every tickable row of SOP 5.1 becomes an item for the role that maps its
    executor text; the Linux/Windows group headings are not items."""
    cycle, _ = checklist_services.create_cycle(starts_on=date(2026, 8, 14))
    items = {item.label: item for item in cycle.items.all()}
    assert "1.b.1" not in items and "1.b.2" not in items
    assert len(items) == 47
    assert items["1.a.1"].executor_text == "Administrator SPSE"
    assert items["1.a.1"].role == Role.APPADMIN
    assert items["1.a.2"].role == Role.SYSADMIN
    assert items["1.c.1"].executor_text == "Ahli Database"
    assert items["1.c.1"].role == Role.SYSADMIN
    assert items["1.b.2.i"].executor_text == ""  # the source names nobody
    assert items["1.b.2.i"].role == Role.SYSADMIN
    assert set(checklist_services.EXECUTOR_ROLES) >= {
        executor for item in items.values() for executor in item.step.executors
    }


@pytest.mark.django_db
def test_observed_items_are_prefilled_from_probes_and_backups_say_no_data(sops):
    """MNT-1: the website item carries the website probe's latest result and a link to it;
    the backup item honestly says there is no backup data (no backups yet)."""
    ProbeRun.objects.create(kind="website", ok=True, level="ok", summary="Situs menjawab 200")
    cycle, _ = checklist_services.create_cycle(starts_on=date(2026, 8, 14))
    website = cycle.items.get(label="1.a.1")
    assert website.probe_kind == "website"
    assert website.observed_level == "ok"
    assert website.observed_summary == "Situs menjawab 200"
    assert "/operasi/" in website.observed_url
    backup = cycle.items.get(label="1.c.1")
    assert backup.observed_level == ""
    assert "Belum ada data cadangan" in backup.observed_summary
    assert backup.observed_url == ""


@pytest.mark.django_db
def test_only_the_responsible_role_ticks_an_item(client, sops, sysadmin, appadmin):
    """MNT-1: an item is ticked with findings by a holder of its role, audited."""
    cycle, _ = checklist_services.create_cycle(starts_on=date(2026, 8, 14))
    item = cycle.items.get(label="1.a.2")  # Administrator Sistem
    login(client, appadmin)
    client.post(reverse("facility:item_tick", args=[item.pk]), {"findings": "Aktif"})
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN
    client.logout()
    login(client, sysadmin)
    response = client.post(
        reverse("facility:item_tick", args=[item.pk]),
        {"findings": "Tomcat aktif", "follow_up": "Tidak perlu"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE and item.done_by == sysadmin
    assert item.findings == "Tomcat aktif"
    assert AuditEvent.objects.filter(action="facility.item_checked").exists()


@pytest.mark.django_db
def test_overdue_items_show_and_are_emailed_to_their_role_once(
    client, sops, sysadmin, appadmin, django_capture_on_commit_callbacks
):
    """MNT-1: after the due date, open items show on the checklist page and the
    overdue partial, and each role is e-mailed its own items once."""
    cycle, _ = checklist_services.create_cycle(starts_on=date(2026, 8, 14))
    done = cycle.items.get(label="1.a.2")
    checklist_services.tick_item(done, findings="OK", follow_up="", by=sysadmin)
    with travel(datetime(2026, 8, 28, 9, 0, tzinfo=WIB)):
        overdue = list(checklist_services.selectors.overdue_items())
        assert len(overdue) == 46 and done not in overdue
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert checklist_services.report_overdue() == 46
        assert checklist_services.report_overdue() == 0  # once per cycle
        by_recipient = {tuple(message.to): message for message in mail.outbox}
        assert set(by_recipient) == {(sysadmin.email,), (appadmin.email,)}
        assert "- 1.a.1 " in by_recipient[(appadmin.email,)].body
        assert "- 1.a.1 " not in by_recipient[(sysadmin.email,)].body
        login(client, sysadmin)
        page = client.get(reverse("facility:checklist")).content.decode()
    assert "Butir pemeliharaan yang terlambat" in page
    assert "Siklus 14-08-2026, batas 27-08-2026: 46 butir belum diperiksa" in page
    assert "Administrator Aplikasi 2, Administrator Sistem 44" in page
    cycle.refresh_from_db()
    assert cycle.overdue_reported_at is not None


@pytest.mark.django_db
def test_nothing_is_overdue_within_the_effective_period(sops):
    """MNT-1: on the due date itself, nothing is late yet."""
    checklist_services.create_cycle(starts_on=date(2026, 8, 14))
    with travel(datetime(2026, 8, 27, 15, 0, tzinfo=WIB)):
        assert not checklist_services.selectors.overdue_items().exists()


@pytest.mark.django_db
def test_command_and_task_create_the_current_cycle(sops, capsys):
    """MNT-1: `lpse facility_new_cycle` (and the periodic task) create this period's
    cycle once; the cycle starts on the period's Monday."""
    with travel(datetime(2026, 9, 9, 10, 0, tzinfo=WIB)):  # a Wednesday
        call_command("facility_new_cycle")
        call_command("facility_new_cycle")
        from ..tasks import new_maintenance_cycle

        new_maintenance_cycle.call_local()
    assert MaintenanceCycle.objects.count() == 1
    cycle = MaintenanceCycle.objects.get()
    assert cycle.starts_on == date(2026, 9, 7)
    assert MaintenanceItem.objects.filter(cycle=cycle).count() == 47
    assert "created" in capsys.readouterr().out


@pytest.mark.django_db
def test_checklist_page_is_for_administrators_only(client, sops, vendor):
    """MNT-1: vendors do not see the checklist."""
    make_user("verif", Role.VERIFIER)
    login(client, vendor)
    assert client.get(reverse("facility:checklist")).status_code == 403


@pytest.mark.django_db
def test_each_cycle_is_a_case_of_sop_5_1_with_timed_steps(sops, sysadmin, appadmin):
    """MNT-1, SOP-2: a cycle opens a case of SOP 5.1; each item's step runs with the
    7-working-day target until ticked; the case closes when every item is ticked."""
    from lpse.sop.models import StepRun

    cycle, _ = checklist_services.create_cycle(starts_on=date(2026, 8, 14))
    case = cycle.sop_case
    assert case is not None and case.is_open and case.procedure.code == "5.1"
    runs = StepRun.objects.filter(case=case)
    assert runs.count() == 47
    assert all(run.due_at is not None for run in runs)
    first = cycle.items.get(label="1.a.2")
    checklist_services.tick_item(first, findings="Aktif", follow_up="", by=sysadmin)
    assert runs.get(step=first.step).ended_by == sysadmin
    for item in cycle.items.filter(status=ItemStatus.OPEN):
        by = appadmin if item.role == Role.APPADMIN else sysadmin
        checklist_services.tick_item(item, findings="Baik", follow_up="", by=by)
    case.refresh_from_db()
    assert not case.is_open
