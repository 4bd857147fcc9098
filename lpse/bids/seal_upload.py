"""``lpse-seal upload``: send a sealed envelope to the LPSE through its JSON API (BID-2, GEN-3).

    lpse-seal upload --server https://lpse.example --tender CODE --token-file F bid.p7m

The token (an API token with scope bids:write, and bids:read for the receipt) comes
from ``--token-file``, ``--token`` or the ``LPSE_TOKEN`` variable. Steps: read the
tender's upload information (may this vendor upload now, size limit, tender
certificate); check locally that the envelope is addressed to that certificate and
fits, before sending a byte; create the upload through the API (with the envelope's
MD5/SHA-256, and the plaintext's from ``<envelope>.manifest.json`` for a one-file
envelope); send the bytes with tus (resumable: ``<envelope>.upload.json`` keeps the
upload URL, running the command again continues); fetch the receipt, check that its
fingerprints are the envelope's and that the LPSE's signature over it verifies;
save ``<envelope>.receipt.json`` and ``<envelope>.receipt.p7s``; print one line.

The older form ``--url <tus creation URL>`` still uploads with tus alone. No Django.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote, urlsplit

from cryptography import x509

from . import crypto, signing
from .cli_support import CliError, Progress, english, read_passphrase_file, t, write_new
from .seal_cli import _describe, _manifest_beside
from .tus_client import ApiError, JsonClient, TusClient, TusError

TENDER_CODE = re.compile(r"^[0-9]{1,20}$")
UPLOAD_ID = re.compile(r"/([0-9a-f-]{36})/?$")


def cmd_upload(args) -> None:
    envelope = Path(args.envelope)
    if not envelope.is_file():
        raise CliError(t("missing", path=envelope))
    token = _token(args)
    if args.url:
        _upload_tus_only(args, envelope, token)
        return
    if not (args.server and args.tender):
        raise CliError(t("need_target"), status=2)
    if not TENDER_CODE.fullmatch(args.tender):
        raise CliError(t("bad_tender_code", code=args.tender), status=2)
    if not token:
        raise CliError(t("need_token"), status=2)
    _upload_via_api(args, envelope, token)


def _token(args) -> str:
    if args.token_file:
        return read_passphrase_file(args.token_file).strip()
    return (args.token or os.environ.get("LPSE_TOKEN", "")).strip()


def _refused(error: ApiError) -> CliError:
    if error.code == "bad_response" or not error.message:
        return CliError(t("bad_response", status=error.status))
    text = error.message.get("en" if english() else "id") or error.message.get("id", "")
    return CliError(t("api_refused", message=text, code=error.code))


def _call(client: JsonClient, method: str, url: str, body: dict | None = None) -> dict:
    try:
        return client.call(method, url, body)
    except ApiError as error:
        raise _refused(error) from None
    except (OSError, http.client.HTTPException) as exc:
        raise CliError(t("connection_failed", url=url, reason=exc)) from None


def _plain_of(envelope: Path, sealed: crypto.Fingerprint) -> dict:
    """The plaintext fingerprint from ``seal``'s manifest, for a one-file envelope."""
    manifest = _manifest_beside(envelope)
    if not manifest or manifest.get("content") != "file":
        return {}
    if (manifest.get("envelope") or {}).get("sha256") != sealed.sha256:
        return {}
    files = manifest.get("files") or []
    if len(files) != 1 or not isinstance(files[0], dict):
        return {}
    entry = files[0]
    try:
        return {
            "plain": {
                "size": int(entry["size"]),
                "md5": str(entry["md5"]),
                "sha256": str(entry["sha256"]),
            }
        }
    except (KeyError, TypeError, ValueError):
        return {}


def _upload_via_api(args, envelope: Path, token: str) -> None:
    api = args.server.rstrip("/") + "/api/v1"
    client = JsonClient(token=token)
    with open(envelope, "rb") as source:
        info = crypto.inspect(source)
    sealed = info.sealed
    tender_url = f"{api}/tenders/{quote(args.tender)}/bid-upload"
    upload_info = _call(client, "GET", tender_url)
    if not upload_info.get("can_upload"):
        refusal = upload_info.get("refusal") or {}
        message = refusal.get("message") or {}
        raise CliError(
            t(
                "api_refused",
                message=message.get("en" if english() else "id", ""),
                code=refusal.get("code", ""),
            )
        )
    try:
        certificate = x509.load_pem_x509_certificate(upload_info["certificate_pem"].encode())
    except (KeyError, AttributeError, ValueError):
        raise CliError(t("bad_response", status=200)) from None
    certificate_sha256 = upload_info.get("certificate_sha256", "")
    if not crypto.is_for(info, certificate):
        raise CliError(t("not_for_tender", code=args.tender, sha256=certificate_sha256))
    max_bytes = upload_info.get("max_bytes")
    if isinstance(max_bytes, int) and sealed.size > max_bytes:
        raise CliError(t("too_large", size=sealed.size, max=max_bytes))
    body = {
        "length": sealed.size,
        "file_name": envelope.name[:255],
        "sha256": sealed.sha256,
        "md5": sealed.md5,
        "certificate_sha256": certificate_sha256,
        **_plain_of(envelope, sealed),
    }
    uploads_url = upload_info["uploads_url"]

    def create() -> str:
        return _call(client, "POST", uploads_url, body)["upload_url"]

    tus = TusClient(
        uploads_url,
        token=token,
        chunk_size=args.chunk_mb << 20,
        retries=args.retries,
        retry_delay=args.retry_delay,
    )
    result = _send(args, tus, envelope, sealed, create=create)
    match = UPLOAD_ID.search(urlsplit(result.location).path)
    if match is None:
        raise CliError(t("bad_response", status=result.status))
    status = _call(client, "GET", f"{api}/bid-uploads/{match.group(1)}")
    if status.get("status") != "finished" or not status.get("receipt_id"):
        raise CliError(t("upload_aborted", reason=status.get("error") or status.get("status")))
    receipt = _call(client, "GET", f"{api}/receipts/{int(status['receipt_id'])}")
    _check_and_save_receipt(envelope, receipt, sealed, args.tender, certificate_sha256)


def _send(args, tus: TusClient, envelope: Path, sealed, *, metadata=None, create=None):
    progress = Progress(envelope.name, sealed.size, enabled=args.progress or None)
    state = envelope.with_name(envelope.name + ".upload.json")
    try:
        return tus.upload(
            envelope,
            metadata=metadata or {},
            state_file=state,
            identity=sealed.sha256,
            progress=progress.set,
            on_resume=lambda offset: print(t("upload_resume", offset=offset), file=sys.stderr),
            create=create,
        )
    except TusError as exc:
        raise CliError(t("upload_failed", reason=exc)) from None
    finally:
        progress.close()


def _check_and_save_receipt(envelope, receipt: dict, sealed, tender: str, cert_sha256: str):
    try:
        signed = receipt["receipt_json"].encode("utf-8")
        signature = base64.b64decode(receipt["signature"], validate=True)
        data = json.loads(signed)
        got = data["sealed"]
        checks = (
            ("SHA-256", got["sha256"], sealed.sha256),
            ("MD5", got["md5"], sealed.md5),
            ("size", got["size"], sealed.size),
            ("tender", data["tender"]["code"], tender),
            ("certificate", data["certificate_sha256"], cert_sha256),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise CliError(t("bad_response", status=200)) from None
    for what, given, expected in checks:
        if given != expected:
            raise CliError(t("receipt_differs", what=what))
    signing.verify_signature(signature, signed)  # SignatureError: exit 1 with its reason
    json_path = envelope.with_name(envelope.name + ".receipt.json")
    p7s_path = envelope.with_name(envelope.name + ".receipt.p7s")
    write_new(json_path, signed, force=True)
    write_new(p7s_path, signature, force=True)
    print(
        t(
            "upload_receipt",
            number=data.get("receipt", ""),
            tender=tender,
            at=_wib(data.get("received_at", "")),
            size=sealed.size,
            sha256=sealed.sha256,
            path=json_path,
        )
    )


#: Western Indonesian Time has no daylight saving; a fixed offset needs no tz database
#: (vendors' Windows PCs have none).
WIB = timezone(timedelta(hours=7))


def _wib(stamp: str) -> str:
    """The receipt's UTC time as the vendor reads deadlines: "29-11-2026 20:52:37 WIB"."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        return stamp
    return moment.astimezone(WIB).strftime("%d-%m-%Y %H:%M:%S WIB")


def _upload_tus_only(args, envelope: Path, token: str) -> None:
    """The older form: ``--url`` is the tender's tus creation address."""
    with open(envelope, "rb") as source:
        fingerprint = crypto.fingerprint_stream(source)
    metadata = {
        "filename": envelope.name,
        "sha256": fingerprint.sha256,
        "md5": fingerprint.md5,
        **dict(item.split("=", 1) for item in args.metadata or [] if "=" in item),
    }
    tus = TusClient(
        args.url,
        token=token,
        chunk_size=args.chunk_mb << 20,
        retries=args.retries,
        retry_delay=args.retry_delay,
    )
    result = _send(args, tus, envelope, fingerprint, metadata=metadata)
    print(t("upload_done", url=result.location))
    print(f"  {t('envelope')}: {_describe(fingerprint)}")
    if result.body:
        print(result.body.decode("utf-8", "replace").strip())
