"""``lpse-seal``: the vendors' and committees' sealing command (BID-3, BID-4, BID-2, ERR-1).

The command line is a contract vendors' scripts rely on::

    lpse-seal keygen --key-out tender.key --cert-out tender.crt
                     [--shares N --threshold K [--share-prefix P]] [--common-name CN]
    lpse-seal seal --recipient tender.crt --out bid.p7m FILE [FILE ...]
                   [--sign-key vendor.key --sign-cert vendor.crt]
    lpse-seal open (--key tender.key | --share F [--share F ...]) --out DIR bid.p7m
    lpse-seal verify bid.p7m [--recipient crt] [--sha256 HEX] [--md5 HEX] [--size N]
                     [--receipt FILE [--receipt-signature FILE --ca ca.crt]] [--signature SIG]
    lpse-seal inspect bid.p7m [--json]
    lpse-seal upload --server URL --tender CODE [--token-file F | --token T] bid.p7m
                     (token also from LPSE_TOKEN; the older --url TUS_URL form still works)

Content of an envelope: one FILE is sealed byte for byte (``openssl cms
-decrypt`` gives it back as it was); several FILEs are sealed as a ZIP
(stored, not compressed) of the files plus ``manifest.json``. Beside the
envelope ``seal`` writes ``<out>.manifest.json`` (format
``lpse-bid-manifest``: each file's name, size, MD5, SHA-256, and the
envelope's own size, MD5, SHA-256); with ``--sign-key/--sign-cert`` also
``<out>.sig``, a CMS SignedData (DER) carrying that manifest, which
``openssl cms -verify`` and ``lpse-seal verify --signature`` check.

Exit status 0 on success; 1 with a one-line reason (``lpse-seal: ...
[code]``) otherwise; 2 for a usage error. Messages are Indonesian, English
when ``LANG`` starts with ``en``. No Django is needed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import re
import sys
import tempfile
import zipfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from . import crypto, keys, signing
from .cli_support import (
    CliError,
    Progress,
    ask,
    load_certificate,
    load_private_key,
    read_bytes,
    read_passphrase_file,
    t,
    write_new,
)
from .crypto.fingerprint import Hashes

MANIFEST_FORMAT = "lpse-bid-manifest"
READ_SIZE = 1 << 20
SAFE_NAME = re.compile(r"^[^/\\\x00]{1,255}$")


# -- keygen ------------------------------------------------------------------------------------


def cmd_keygen(args) -> None:
    key = keys.generate_key_pair(args.bits)
    certificate = keys.self_signed_certificate(key, args.common_name, args.days)
    cert_pem = certificate.public_bytes(serialization.Encoding.PEM)
    if not args.shares:
        if not args.key_out:
            raise CliError(t("need_key_out"), status=2)
        passphrase = read_passphrase_file(args.passphrase_file) if args.passphrase_file else None
        write_new(
            args.key_out, keys.private_key_pem(key, passphrase), force=args.force, private=True
        )
        write_new(args.cert_out, cert_pem, force=args.force)
        print(t("keygen_done", key=args.key_out, cert=args.cert_out))
        return
    n, k = args.shares, args.threshold or 0
    if not 2 <= k <= n:
        raise CliError(t("threshold", n=n), status=2)
    passphrases = _new_share_passphrases(args, n)
    split = keys.split_private_key(key, shares=n, threshold=k, passphrases=passphrases)
    prefix = args.share_prefix or str(Path(args.key_out or args.cert_out).with_suffix(""))
    paths = [Path(f"{prefix}-{i + 1}-of-{n}.share") for i in range(n)]
    for path in paths:
        if path.exists() and not args.force:
            raise CliError(t("exists", path=path))
    if args.key_out:
        write_new(
            args.key_out,
            keys.encrypted_key_to_pem(split.encrypted_key).encode(),
            force=args.force,
            private=True,
        )
    write_new(args.cert_out, cert_pem, force=args.force)
    for index, (path, blob) in enumerate(zip(paths, split.shares, strict=True), start=1):
        text = keys.share_to_pem(blob, split.encrypted_key)
        write_new(path, text.encode(), force=args.force, private=True)
        print(t("share_written", index=index, n=n, path=path))
    print(t("keygen_done", key=args.key_out or "-", cert=args.cert_out))


def _new_share_passphrases(args, n: int) -> list[str | None]:
    if args.no_passphrase:
        return [None] * n
    if args.share_passphrase_file:
        if len(args.share_passphrase_file) != n:
            raise CliError(t("share_count", n=n), status=2)
        return [read_passphrase_file(path) or None for path in args.share_passphrase_file]
    if not sys.stdin.isatty():
        raise CliError(t("need_share_passphrases"), status=2)
    passphrases: list[str | None] = []
    for index in range(1, n + 1):
        first = ask(t("prompt_new_share", index=index))
        if first and ask(t("prompt_again")) != first:
            raise CliError(t("mismatch"))
        passphrases.append(first or None)
    return passphrases


# -- seal --------------------------------------------------------------------------------------


class _SealerSink:
    """A write-only file object feeding a Sealer (zipfile writes into it, unseekable)."""

    def __init__(self, sealer: crypto.Sealer) -> None:
        self.sealer = sealer

    def write(self, data) -> int:
        self.sealer.write(data)
        return len(data)

    def flush(self) -> None:
        pass


def _file_entry(name: str, hashes: Hashes) -> dict:
    fingerprint = hashes.result()
    return {
        "name": name,
        "size": fingerprint.size,
        "md5": fingerprint.md5,
        "sha256": fingerprint.sha256,
    }


def cmd_seal(args) -> None:
    certificate = load_certificate(args.recipient)
    sign_key = sign_cert = None
    if args.sign_key or args.sign_cert:
        if not (args.sign_key and args.sign_cert):
            raise CliError(t("need_both_sign"), status=2)
        sign_key = load_private_key(args.sign_key, args.sign_passphrase_file)
        sign_cert = load_certificate(args.sign_cert)
    files = [Path(name) for name in args.files]
    names = [path.name for path in files]
    for path in files:
        if not path.is_file():
            raise CliError(t("missing", path=path))
    for name in names:
        if names.count(name) > 1:
            raise CliError(t("duplicate_name", name=name), status=2)
    out = Path(args.out)
    manifest_path = out.with_name(out.name + ".manifest.json")
    signature_path = out.with_name(out.name + ".sig")
    for path in (out, manifest_path, *([signature_path] if sign_key else [])):
        if path.exists() and not args.force:
            raise CliError(t("exists", path=path))
    total = sum(path.stat().st_size for path in files)
    progress = Progress(out.name, total, enabled=args.progress or None)
    temp = out.with_name(f".{out.name}.part")
    entries: list[dict] = []
    try:
        with open(temp, "wb") as dest:
            sealer = crypto.Sealer(certificate, dest)
            if len(files) == 1:
                hashes = Hashes()
                _copy(files[0], [sealer.write, hashes.update], progress)
                entries.append(_file_entry(names[0], hashes))
            else:
                with zipfile.ZipFile(_SealerSink(sealer), "w", zipfile.ZIP_STORED) as archive:
                    for path in files:
                        info = zipfile.ZipInfo.from_file(path, arcname=path.name)
                        info.compress_type = zipfile.ZIP_STORED
                        hashes = Hashes()
                        with archive.open(info, "w", force_zip64=info.file_size > 2**31) as member:
                            _copy(path, [member.write, hashes.update], progress)
                        entries.append(_file_entry(path.name, hashes))
                    inner = {"format": MANIFEST_FORMAT, "version": 1, "files": entries}
                    archive.writestr("manifest.json", json.dumps(inner, indent=2) + "\n")
            result = sealer.finish()
            dest.flush()
            os.fsync(dest.fileno())
        os.replace(temp, out)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    finally:
        progress.close()
    manifest = {
        "format": MANIFEST_FORMAT,
        "version": 1,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "content": "file" if len(files) == 1 else "zip",
        "files": entries,
        "envelope": {
            "name": out.name,
            "size": result.sealed.size,
            "md5": result.sealed.md5,
            "sha256": result.sealed.sha256,
        },
        "recipient": {
            "subject": certificate.subject.rfc4514_string(),
            "serial_number": str(certificate.serial_number),
        },
    }
    manifest_bytes = (json.dumps(manifest, indent=2) + "\n").encode()
    write_new(manifest_path, manifest_bytes, force=True)
    print(t("sealed", path=out))
    print(f"  {t('envelope')}: {_describe(result.sealed)}")
    for entry in entries:
        print(
            f"  {entry['name']}: {entry['size']} B  MD5 {entry['md5']}  SHA-256 {entry['sha256']}"
        )
    print(t("manifest_written", path=manifest_path))
    if sign_key is not None:
        write_new(
            signature_path, signing.sign_attached(manifest_bytes, sign_key, sign_cert), force=True
        )
        print(t("signature_written", path=signature_path))


def _copy(path: Path, sinks, progress: Progress) -> None:
    with open(path, "rb") as source:
        while True:
            block = source.read(READ_SIZE)
            if not block:
                return
            for sink in sinks:
                sink(block)
            progress.update(len(block))


def _describe(fingerprint: crypto.Fingerprint) -> str:
    return f"{fingerprint.size} B  MD5 {fingerprint.md5}  SHA-256 {fingerprint.sha256}"


# -- open --------------------------------------------------------------------------------------


def _opening_key(args):
    if args.share:
        texts = [read_bytes(path).decode("utf-8", "replace") for path in args.share]
        encrypted = None
        if args.key:
            encrypted = keys.encrypted_key_from_text(
                read_bytes(args.key).decode("utf-8", "replace")
            )
        for text in texts:
            encrypted = encrypted or keys.encrypted_key_from_text(text)
        if encrypted is None:
            raise CliError(t("no_encrypted_key"))
        given = list(args.passphrase_file or [])
        shares: list[tuple[bytes, str | None]] = []
        for position, (path, text) in enumerate(zip(args.share, texts, strict=True)):
            blob = keys.share_from_pem(text) if keys.PEM_BEGIN in text else text.encode()
            passphrase = None
            if keys.share_info(blob).protected:
                if position < len(given):
                    passphrase = read_passphrase_file(given[position])
                else:
                    passphrase = ask(t("prompt_share", path=path))
            shares.append((blob, passphrase))
        return keys.combine_private_key(encrypted, shares)
    if not args.key:
        raise CliError(t("need_key"), status=2)
    passphrase_file = args.passphrase_file[0] if args.passphrase_file else None
    return load_private_key(args.key, passphrase_file)


def cmd_open(args) -> None:
    private_key = _opening_key(args)
    certificate = load_certificate(args.cert) if args.cert else None
    envelope = Path(args.envelope)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = _manifest_beside(envelope)
    name = envelope.name.removesuffix(".p7m") if envelope.name.endswith(".p7m") else envelope.stem
    if manifest and manifest.get("content") == "file" and len(manifest.get("files", [])) == 1:
        candidate = manifest["files"][0].get("name", "")
        if SAFE_NAME.fullmatch(candidate) and candidate not in (".", ".."):
            name = candidate
    size = envelope.stat().st_size if envelope.exists() else 0
    progress = Progress(envelope.name, size, enabled=args.progress or None)
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".lpse-open-") as work:
        opened = Path(work) / "content"
        try:
            with open(envelope, "rb") as raw:
                source = _CountingReader(raw, progress)
                plain = crypto.open_to_file(source, opened, private_key, certificate=certificate)
        except OSError:
            raise CliError(t("missing", path=envelope)) from None
        finally:
            progress.close()
        if _is_bid_zip(opened):
            results = _extract(opened, out_dir, force=args.force)
        else:
            if manifest and manifest.get("content") == "file":
                _check_entry(manifest["files"][0], plain, name)
            target = out_dir / name
            if target.exists() and not args.force:
                raise CliError(t("exists", path=target))
            os.replace(opened, target)
            results = [(target, plain)]
    for path, fingerprint in results:
        print(t("opened", path=path))
        print(f"  {t('plain')}: {_describe(fingerprint)}")


class _CountingReader:
    def __init__(self, raw, progress: Progress) -> None:
        self.raw = raw
        self.progress = progress

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.progress.update(len(data))
        return data


def _manifest_beside(envelope: Path) -> dict | None:
    path = envelope.with_name(envelope.name + ".manifest.json")
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == MANIFEST_FORMAT else None


def _is_bid_zip(path: Path) -> bool:
    with open(path, "rb") as handle:
        if handle.read(4) != b"PK\x03\x04":
            return False
    try:
        with zipfile.ZipFile(path) as archive:
            return "manifest.json" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _check_entry(entry: dict, fingerprint: crypto.Fingerprint, name: str) -> None:
    expected = (entry.get("size"), entry.get("md5"), entry.get("sha256"))
    if expected != (fingerprint.size, fingerprint.md5, fingerprint.sha256):
        raise CliError(t("manifest_mismatch", name=name))


def _extract(zip_path: Path, out_dir: Path, *, force: bool) -> list:
    try:
        archive = zipfile.ZipFile(zip_path)
    except zipfile.BadZipFile:
        raise CliError(t("bad_zip")) from None
    with archive:
        try:
            manifest = json.loads(archive.read("manifest.json"))
            entries = {entry["name"]: entry for entry in manifest["files"]}
        except (KeyError, ValueError, TypeError):
            raise CliError(t("bad_zip")) from None
        members = [info for info in archive.infolist() if info.filename != "manifest.json"]
        if sorted(info.filename for info in members) != sorted(entries):
            raise CliError(t("bad_zip"))
        for info in members:
            if not SAFE_NAME.fullmatch(info.filename) or info.filename in (".", ".."):
                raise CliError(t("bad_zip"))
            if (out_dir / info.filename).exists() and not force:
                raise CliError(t("exists", path=out_dir / info.filename))
        staged = []
        for info in members:
            temp = zip_path.with_name(f"member-{len(staged)}")
            hashes = Hashes()
            with archive.open(info) as source, open(temp, "wb") as dest:
                while block := source.read(READ_SIZE):
                    hashes.update(block)
                    dest.write(block)
            _check_entry(entries[info.filename], hashes.result(), info.filename)
            staged.append((temp, out_dir / info.filename, hashes.result()))
    results = []
    for temp, target, fingerprint in staged:
        os.replace(temp, target)
        results.append((target, fingerprint))
    return results


# -- inspect and verify ------------------------------------------------------------------------


def _inspect(path: Path) -> crypto.EnvelopeInfo:
    try:
        with open(path, "rb") as source:
            return crypto.inspect(source)
    except OSError:
        raise CliError(t("missing", path=path)) from None


def cmd_inspect(args) -> None:
    info = _inspect(Path(args.envelope))
    if args.json:
        data = {
            "content_type": info.content_type,
            "content_algorithm": info.content_algorithm,
            "encrypted_size": info.encrypted_size,
            "recipients": [
                {
                    "issuer": recipient.issuer,
                    "serial_number": str(recipient.serial_number),
                    "key_algorithm": recipient.key_algorithm,
                    "subject_key_identifier": recipient.subject_key_identifier,
                }
                for recipient in info.recipients
            ],
            "sealed": {
                "size": info.sealed.size,
                "md5": info.sealed.md5,
                "sha256": info.sealed.sha256,
            },
        }
        print(json.dumps(data, indent=2))
        return
    en = os.environ.get("LANG", "").lower().startswith("en")
    labels = (
        ("Type", "Content encryption", "Encrypted content", "Recipient", "Envelope")
        if en
        else ("Jenis", "Enkripsi isi", "Isi terenkripsi", "Penerima", "Amplop")
    )
    print(f"{labels[0]}: CMS {info.content_type}")
    print(f"{labels[1]}: {info.content_algorithm}")
    print(f"{labels[2]}: {info.encrypted_size} B")
    for recipient in info.recipients:
        who = recipient.issuer or f"key id {recipient.subject_key_identifier}"
        serial = f", serial {recipient.serial_number:x}" if recipient.serial_number else ""
        print(f"{labels[3]}: {who}{serial} ({recipient.key_algorithm})")
    print(f"{labels[4]}: {_describe(info.sealed)}")


def cmd_verify(args) -> None:
    envelope = Path(args.envelope)
    info = _inspect(envelope)
    checks = [t("check_structure")]
    if args.recipient:
        if not crypto.is_for(info, load_certificate(args.recipient)):
            raise CliError(t("not_for", path=args.recipient))
        checks.append(t("check_recipient", path=args.recipient))
    for what, expected, actual in (
        ("SHA-256", args.sha256, info.sealed.sha256),
        ("MD5", args.md5, info.sealed.md5),
        ("size", args.size, info.sealed.size),
    ):
        if expected is not None:
            if str(expected).lower() != str(actual):
                raise CliError(t("fingerprint_mismatch", what=what))
            checks.append(f"{t('check_fingerprint')} {what}")
    if args.receipt:
        receipt = read_bytes(args.receipt)
        if info.sealed.sha256 not in receipt.decode("utf-8", "replace").lower():
            raise CliError(t("receipt_mismatch", path=args.receipt))
        checks.append(t("check_receipt"))
        if args.receipt_signature:
            signer = signing.verify_signature(read_bytes(args.receipt_signature), receipt)
            if args.ca and signer.certificate != load_certificate(args.ca):
                raise CliError(t("signer_not_ca", path=args.ca))
            checks.append(t("check_receipt_signature"))
    if args.signature:
        signed = signing.verify_signature(read_bytes(args.signature))
        try:
            manifest = json.loads(signed.content)
            named = manifest["envelope"]["sha256"]
        except (ValueError, KeyError, TypeError):
            raise CliError(t("manifest_envelope_mismatch")) from None
        if named != info.sealed.sha256:
            raise CliError(t("manifest_envelope_mismatch"))
        checks.append(t("check_signature", subject=signed.subject))
    print(t("verify_ok", checks="; ".join(checks)))


# -- upload ------------------------------------------------------------------------------------


def cmd_upload(args) -> None:
    from .seal_upload import cmd_upload as upload

    upload(args)


# -- main --------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lpse-seal", description=t("description"))
    parser.add_argument("--progress", action="store_true", help=t("h_progress"))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("keygen", help=t("keygen"), description=t("keygen"))
    p.add_argument("--key-out", type=Path, help=t("h_key_out"))
    p.add_argument("--cert-out", type=Path, required=True, help=t("h_cert_out"))
    p.add_argument("--common-name", default="Paket LPSE", help=t("h_common_name"))
    p.add_argument("--bits", type=int, default=3072, choices=(2048, 3072, 4096))
    p.add_argument("--days", type=int, default=365, help=t("h_days"))
    p.add_argument("--passphrase-file", type=Path, help=t("h_key_passphrase"))
    p.add_argument("--shares", type=int, help=t("h_shares"))
    p.add_argument("--threshold", type=int, help=t("h_threshold"))
    p.add_argument("--share-prefix", help=t("h_share_prefix"))
    p.add_argument("--share-passphrase-file", type=Path, action="append", help=t("h_share_pass"))
    p.add_argument("--no-passphrase", action="store_true", help=t("h_no_passphrase"))
    p.add_argument("--force", action="store_true", help=t("h_force"))
    p.set_defaults(func=cmd_keygen)

    p = sub.add_parser("seal", help=t("seal"), description=t("seal"))
    p.add_argument(
        "--progress", action="store_true", default=argparse.SUPPRESS, help=t("h_progress")
    )
    p.add_argument("--recipient", type=Path, required=True, help=t("h_recipient"))
    p.add_argument("--out", type=Path, required=True, help=t("h_seal_out"))
    p.add_argument("--sign-key", type=Path, help=t("h_sign_key"))
    p.add_argument("--sign-cert", type=Path, help=t("h_sign_cert"))
    p.add_argument("--sign-passphrase-file", type=Path, help=t("h_key_passphrase"))
    p.add_argument("--force", action="store_true", help=t("h_force"))
    p.add_argument("files", nargs="+", metavar="FILE", help=t("h_files"))
    p.set_defaults(func=cmd_seal)

    p = sub.add_parser("open", help=t("open"), description=t("open"))
    p.add_argument(
        "--progress", action="store_true", default=argparse.SUPPRESS, help=t("h_progress")
    )
    p.add_argument("--key", type=Path, help=t("h_open_key"))
    p.add_argument("--share", type=Path, action="append", help=t("h_share"))
    p.add_argument("--passphrase-file", type=Path, action="append", help=t("h_open_passphrase"))
    p.add_argument("--cert", type=Path, help=t("h_open_cert"))
    p.add_argument("--out", type=Path, required=True, help=t("h_open_out"))
    p.add_argument("--force", action="store_true", help=t("h_force"))
    p.add_argument("envelope", metavar="ENVELOPE")
    p.set_defaults(func=cmd_open)

    p = sub.add_parser("verify", help=t("verify"), description=t("verify"))
    p.add_argument("--recipient", type=Path, help=t("h_recipient"))
    p.add_argument("--sha256", help=t("h_expect"))
    p.add_argument("--md5", help=t("h_expect"))
    p.add_argument("--size", type=int, help=t("h_expect"))
    p.add_argument("--receipt", type=Path, help=t("h_receipt"))
    p.add_argument("--receipt-signature", type=Path, help=t("h_receipt_signature"))
    p.add_argument("--ca", type=Path, help=t("h_ca"))
    p.add_argument("--signature", type=Path, help=t("h_signature"))
    p.add_argument("envelope", metavar="ENVELOPE")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("inspect", help=t("inspect"), description=t("inspect"))
    p.add_argument("--json", action="store_true", help=t("h_json"))
    p.add_argument("envelope", metavar="ENVELOPE")
    p.set_defaults(func=cmd_inspect)

    p = sub.add_parser("upload", help=t("upload"), description=t("upload"))
    p.add_argument(
        "--progress", action="store_true", default=argparse.SUPPRESS, help=t("h_progress")
    )
    p.add_argument("--server", help=t("h_server"))
    p.add_argument("--tender", help=t("h_tender"))
    p.add_argument("--url", help=t("h_url"))
    p.add_argument("--token", help=t("h_token"))
    p.add_argument("--token-file", type=Path, help=t("h_token_file"))
    p.add_argument("--metadata", action="append", metavar="KEY=VALUE", help=t("h_metadata"))
    p.add_argument("--chunk-mb", type=int, default=8, help=t("h_chunk"))
    p.add_argument("--retries", type=int, default=10, help=t("h_retries"))
    p.add_argument("--retry-delay", type=float, default=1.0, help=t("h_retry_delay"))
    p.add_argument("envelope", metavar="ENVELOPE")
    p.set_defaults(func=cmd_upload)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except CliError as exc:
        print(f"lpse-seal: {exc}", file=sys.stderr)
        return exc.status
    except crypto.SealError as exc:
        lang = "en" if os.environ.get("LANG", "").lower().startswith("en") else "id"
        print(f"lpse-seal: {exc.localized(lang)} [{exc.code}]", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"lpse-seal: {t('interrupted')}", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"lpse-seal: {t('io_error', reason=exc)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
