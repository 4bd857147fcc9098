"""A live server for the crash test and bench/bid_rush.py: a tender whose bid upload stage runs
now, a 2-of-3 key, and N joined vendors with a session cookie and an API token each
(bids:write, bids:read: tus uploads and `lpse-seal upload` through the JSON API).

Run as a script against an empty, migrated LPSE_DATA_DIR / DATABASE_URL:
    python -m lpse.bids.tests.live VENDORS   -> prints one JSON line
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

PASSPHRASES = ["frasa sandi ketua pokja", "frasa sandi anggota dua", "frasa sandi anggota tiga"]


def prepare(vendors: int) -> dict:
    from zoneinfo import ZoneInfo

    from django.test import Client
    from django.utils import timezone

    from lpse.accounts.choices import Role
    from lpse.accounts.models import WorkUnit
    from lpse.api.services import issue_token
    from lpse.conftest import make_user
    from lpse.sop.services import load_procedures
    from lpse.tenders import services as tender_services
    from lpse.tenders.tests.helpers import activated_vendor, join, make_tender, travel

    from .. import key_services
    from ..selectors import UPLOAD_TOKEN_SCOPES

    load_procedures()
    wib = ZoneInfo("Asia/Jakarta")
    anchor = timezone.now().astimezone(wib) - timedelta(days=3, minutes=5)
    monday = (anchor - timedelta(days=anchor.weekday())).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    if monday > anchor:
        monday -= timedelta(days=7)
    members = [make_user(f"pokja{i}", Role.COMMITTEE) for i in range(3)]
    unit = WorkUnit.objects.create(code="BENCH", name="Satuan Kerja Uji")
    ppk = make_user("ppk", Role.PPK)
    tender = make_tender(members[0], ppk, unit, start=monday)
    with travel(monday + timedelta(hours=2)):
        for user in members[1:]:
            tender_services.add_member(tender, user, by=members[0])
        key_services.create_server_key(
            tender,
            threshold=2,
            passphrases={m.pk: p for m, p in zip(members, PASSPHRASES, strict=True)},
            by=members[0],
        )
    rows = []
    for i in range(vendors):
        company = activated_vendor(
            f"vendor{i}", f"PT Uji {i}", f"{100000000000000 + i}", f"vendor{i}@uji.co.id"
        )
        join(tender, company, at=monday + timedelta(days=1, hours=2))
        client = Client()
        client.force_login(company.user)
        _row, token = issue_token(
            company.user, name="bench", scopes=list(UPLOAD_TOKEN_SCOPES), by=company.user
        )
        rows.append(
            {
                "user": company.user.username,
                "session": client.cookies["sessionid"].value,
                "token": token,
                "csrf": secrets.token_hex(16),
            }
        )
    return {
        "tender": tender.code,
        "members": [m.pk for m in members],
        "passphrases": PASSPHRASES,
        "vendors": rows,
    }


def open_all(code: str, data: dict) -> dict:
    """Open every bid of the tender as its Pokja would (time travels past the upload stage)."""
    from datetime import timedelta as td

    from lpse.tenders.choices import StageKind
    from lpse.tenders.models import Tender
    from lpse.tenders.tests.helpers import travel

    from .. import opening

    tender = Tender.objects.get(code=code)
    members = data["members"]
    from lpse.accounts.models import User

    by = User.objects.get(pk=members[0])
    with travel(tender.stage(StageKind.BID_OPENING).starts_at + td(minutes=1)):
        result = opening.open_bids(
            tender, passphrases=dict(zip(members[:2], data["passphrases"][:2], strict=True)), by=by
        )
    return {
        "opened": result.opened_count,
        "failed": result.failed_count,
        "results": {
            r.bid.participant.vendor.user.username: {
                "outcome": r.outcome,
                "code": r.failure_code,
                "plain_name": r.plain_name,
                "receipt_plain_sha256": r.bid.plain_sha256,
            }
            for r in result.results.select_related("bid__participant__vendor__user")
        },
    }


# --- driving a server in subprocesses (the parent side) -----------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def env_for(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LPSE_", "DATABASE_URL", "REDIS_URL", "SMTP_URL", "PYTEST"))
    }
    env.update(LPSE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="lpse.settings", **extra)
    return env


def run(args: list[str], env: dict[str, str], timeout: int = 600) -> str:
    done = subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=timeout,
        check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"{args} failed: {done.stderr[-3000:]}")
    return done.stdout


def setup_server_data(env: dict[str, str], vendors: int) -> dict:
    run(
        ["-m", "lpse.cli", "setup"],
        {
            **env,
            "LPSE_ADMIN_USER": "kepala",
            "LPSE_ADMIN_PASSWORD": "sandi-awal-yang-panjang-sekali",
        },
    )
    out = run(["-m", "lpse.bids.tests.live", "prepare", str(vendors)], env)
    return json.loads(out.strip().splitlines()[-1])


def start_server(env: dict[str, str], port: int, *, workers: int = 1, threads: int = 8):
    """gunicorn in its own process group (so a test can SIGKILL master and workers at once)."""
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "lpse.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
            "--timeout", "300", "--no-control-socket", "--log-level", "warning",
        ],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
                return server
        except urllib.error.HTTPError:
            return server  # it answers
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("server did not start") from None
            time.sleep(0.3)


def main() -> None:
    import django

    django.setup()
    command = sys.argv[1]
    if command == "prepare":
        print(json.dumps(prepare(int(sys.argv[2]))))
    elif command == "open":
        data = json.loads(Path(sys.argv[3]).read_text())
        print(json.dumps(open_all(sys.argv[2], data)))


if __name__ == "__main__":
    main()
