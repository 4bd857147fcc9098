"""The `lpse-seal` console script, run for real as a vendor would (BID-3, BID-4, BID-2, ERR-1)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from lpse.conftest import require_tool

from .seal_fixtures import leftovers, run

SCRIPT = Path(sys.executable).with_name("lpse-seal")


def seal_cmd(*args, cwd: Path, lang: str = "id_ID.UTF-8", check: bool = True):
    """Run lpse-seal without Django settings, as on a vendor's computer."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["LANG"] = lang
    env.pop("LC_ALL", None)
    result = subprocess.run(
        [str(SCRIPT), *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
        timeout=120,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"lpse-seal {args[0]} exited {result.returncode}: {result.stderr}")
    return result


@pytest.fixture
def work(tmp_path):
    (tmp_path / "harga.pdf").write_bytes(os.urandom(300_000))
    (tmp_path / "teknis.pdf").write_bytes(b"%PDF-1.7 teknis\n" * 1000)
    seal_cmd(
        "keygen",
        "--key-out",
        "tender.key",
        "--cert-out",
        "tender.crt",
        "--bits",
        "2048",
        "--common-name",
        "Paket 10000001",
        cwd=tmp_path,
    )
    return tmp_path


def test_help_and_no_django_import():
    """BID-3: the command runs without Django settings and never imports Django."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [str(SCRIPT), "--help"], env=env, capture_output=True, text=True, check=True
    )
    assert "keygen" in result.stdout and "upload" in result.stdout
    code = (
        "import sys, lpse.bids.seal_cli, lpse.bids.keys, lpse.bids.signing, lpse.bids.crypto;"
        "sys.exit('django' in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


def test_one_file_seals_byte_for_byte_and_opens_with_openssl_and_lpse_seal(work):
    """BID-3: one FILE is the envelope's content byte for byte: `openssl cms
    -decrypt` and `lpse-seal open` both give it back; the manifest names it."""
    openssl = require_tool("openssl")
    result = seal_cmd(
        "seal", "--recipient", "tender.crt", "--out", "bid.p7m", "harga.pdf", cwd=work
    )
    assert "Amplop tersegel: bid.p7m" in result.stdout
    manifest = json.loads((work / "bid.p7m.manifest.json").read_text())
    assert manifest["content"] == "file"
    assert manifest["files"][0]["name"] == "harga.pdf"
    assert manifest["envelope"]["size"] == (work / "bid.p7m").stat().st_size
    decrypted = run(
        openssl,
        "cms",
        "-decrypt",
        "-binary",
        "-inform",
        "DER",
        "-in",
        work / "bid.p7m",
        "-inkey",
        work / "tender.key",
    )
    assert decrypted.stdout == (work / "harga.pdf").read_bytes()
    seal_cmd("open", "--key", "tender.key", "--out", "dibuka", "bid.p7m", cwd=work)
    assert (work / "dibuka" / "harga.pdf").read_bytes() == (work / "harga.pdf").read_bytes()


def test_several_files_seal_as_zip_with_manifest(work):
    """BID-3: several FILEs become a ZIP with manifest.json (MD5/SHA-256 per file);
    `lpse-seal open` extracts and checks them."""
    openssl = require_tool("openssl")
    seal_cmd(
        "seal", "--recipient", "tender.crt", "--out", "bid.p7m", "harga.pdf", "teknis.pdf", cwd=work
    )
    run(
        openssl,
        "cms",
        "-decrypt",
        "-binary",
        "-inform",
        "DER",
        "-in",
        work / "bid.p7m",
        "-inkey",
        work / "tender.key",
        "-out",
        work / "bid.zip",
    )
    with zipfile.ZipFile(work / "bid.zip") as archive:
        assert sorted(archive.namelist()) == ["harga.pdf", "manifest.json", "teknis.pdf"]
        inner = json.loads(archive.read("manifest.json"))
    assert {entry["name"] for entry in inner["files"]} == {"harga.pdf", "teknis.pdf"}
    seal_cmd("open", "--key", "tender.key", "--out", "dibuka", "bid.p7m", cwd=work)
    for name in ("harga.pdf", "teknis.pdf"):
        assert (work / "dibuka" / name).read_bytes() == (work / name).read_bytes()


def test_k_of_n_shares_open_with_passphrases(work):
    """BID-4: keygen --shares 3 --threshold 2 writes share files (no whole key);
    two shares with their passphrases open; one share or a wrong passphrase fail."""
    for i in (1, 2, 3):
        (work / f"pass{i}").write_text(f"frasa-rahasia-{i}\n")
    result = seal_cmd(
        "keygen",
        "--cert-out",
        "panitia.crt",
        "--shares",
        "3",
        "--threshold",
        "2",
        "--share-prefix",
        "panitia",
        "--bits",
        "2048",
        *[arg for i in (1, 2, 3) for arg in ("--share-passphrase-file", f"pass{i}")],
        cwd=work,
    )
    assert "Bagian 3/3" in result.stdout
    shares = sorted(work.glob("panitia-*-of-3.share"))
    assert len(shares) == 3
    assert "PRIVATE KEY" not in shares[0].read_text()
    seal_cmd("seal", "--recipient", "panitia.crt", "--out", "bid.p7m", "harga.pdf", cwd=work)
    seal_cmd(
        "open",
        "--share",
        shares[0],
        "--share",
        shares[2],
        "--passphrase-file",
        "pass1",
        "--passphrase-file",
        "pass3",
        "--out",
        "dibuka",
        "bid.p7m",
        cwd=work,
    )
    assert (work / "dibuka" / "harga.pdf").read_bytes() == (work / "harga.pdf").read_bytes()
    one = seal_cmd(
        "open",
        "--share",
        shares[0],
        "--passphrase-file",
        "pass1",
        "--out",
        "x",
        "bid.p7m",
        cwd=work,
        check=False,
    )
    assert one.returncode == 1 and one.stderr.strip().endswith("[not_enough_shares]")
    wrong = seal_cmd(
        "open",
        "--share",
        shares[0],
        "--share",
        shares[1],
        "--passphrase-file",
        "pass2",
        "--passphrase-file",
        "pass2",
        "--out",
        "x",
        "bid.p7m",
        cwd=work,
        check=False,
    )
    assert wrong.returncode == 1 and "[wrong_passphrase]" in wrong.stderr
    assert not (work / "x").exists()  # the key failed before anything was written


def test_signed_manifest_verifies_with_openssl_and_lpse_seal_verify(work):
    """BID-3: --sign-key/--sign-cert writes <out>.sig (CMS SignedData of the manifest,
    naming the envelope's SHA-256); openssl and `lpse-seal verify --signature` accept it,
    and it no longer matches a different envelope."""
    openssl = require_tool("openssl")
    seal_cmd(
        "keygen",
        "--key-out",
        "vendor.key",
        "--cert-out",
        "vendor.crt",
        "--bits",
        "2048",
        "--common-name",
        "PT Contoh",
        cwd=work,
    )
    seal_cmd(
        "seal",
        "--recipient",
        "tender.crt",
        "--out",
        "bid.p7m",
        "--sign-key",
        "vendor.key",
        "--sign-cert",
        "vendor.crt",
        "harga.pdf",
        cwd=work,
    )
    verified = run(
        openssl,
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        work / "bid.p7m.sig",
        "-noverify",
    )
    assert (
        json.loads(verified.stdout)["envelope"]["sha256"]
        in (work / "bid.p7m.manifest.json").read_text()
    )
    result = seal_cmd(
        "verify", "--signature", "bid.p7m.sig", "--recipient", "tender.crt", "bid.p7m", cwd=work
    )
    assert "CN=PT Contoh" in result.stdout
    seal_cmd("seal", "--recipient", "tender.crt", "--out", "other.p7m", "harga.pdf", cwd=work)
    mismatch = seal_cmd("verify", "--signature", "bid.p7m.sig", "other.p7m", cwd=work, check=False)
    assert mismatch.returncode == 1
    assert len(mismatch.stderr.strip().splitlines()) == 1


def test_verify_against_fingerprints_receipt_and_recipient(work):
    """BID-2/ERR-1: verify compares the envelope with the receipt's SHA-256, given
    fingerprints and the tender certificate; each mismatch is one line, exit 1."""
    seal_cmd("seal", "--recipient", "tender.crt", "--out", "bid.p7m", "harga.pdf", cwd=work)
    envelope = json.loads((work / "bid.p7m.manifest.json").read_text())["envelope"]
    (work / "tanda-terima.txt").write_text(f"Tanda terima\nSHA-256 amplop: {envelope['sha256']}\n")
    ok = seal_cmd(
        "verify",
        "--receipt",
        "tanda-terima.txt",
        "--sha256",
        envelope["sha256"],
        "--md5",
        envelope["md5"],
        "--size",
        envelope["size"],
        "--recipient",
        "tender.crt",
        "bid.p7m",
        cwd=work,
    )
    assert ok.stdout.startswith("Pemeriksaan berhasil")
    seal_cmd(
        "keygen", "--key-out", "lain.key", "--cert-out", "lain.crt", "--bits", "2048", cwd=work
    )
    for args in (("--sha256", "0" * 64), ("--recipient", "lain.crt")):
        failed = seal_cmd("verify", *args, "bid.p7m", cwd=work, check=False)
        assert failed.returncode == 1
        assert len(failed.stderr.strip().splitlines()) == 1
    (work / "tanda-terima.txt").write_text("SHA-256 amplop: " + "1" * 64)
    assert (
        seal_cmd(
            "verify", "--receipt", "tanda-terima.txt", "bid.p7m", cwd=work, check=False
        ).returncode
        == 1
    )


def test_failures_are_one_line_in_indonesian_or_english(work):
    """BID-3/ERR-1: truncated, not CMS and wrong key each exit 1 with a one-line reason
    and code, Indonesian by default and English with LANG=en; nothing is written."""
    seal_cmd("seal", "--recipient", "tender.crt", "--out", "bid.p7m", "harga.pdf", cwd=work)
    data = (work / "bid.p7m").read_bytes()
    (work / "cut.p7m").write_bytes(data[: len(data) // 2])
    seal_cmd(
        "keygen", "--key-out", "lain.key", "--cert-out", "lain.crt", "--bits", "2048", cwd=work
    )
    cases = [
        ("cut.p7m", "tender.key", "truncated", "terpotong", "truncated"),
        ("harga.pdf", "tender.key", "not_cms", "bukan amplop CMS", "not a CMS envelope"),
        ("bid.p7m", "lain.key", "wrong_recipient", "tidak disegel untuk", "not sealed for"),
    ]
    for envelope, key, code, indonesian, english in cases:
        for lang, text in (("id_ID.UTF-8", indonesian), ("en_US.UTF-8", english)):
            result = seal_cmd(
                "open", "--key", key, "--out", "out", envelope, cwd=work, lang=lang, check=False
            )
            assert result.returncode == 1
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and text in lines[0] and lines[0].endswith(f"[{code}]")
    assert leftovers(work / "out") == []


def test_inspect_describes_envelope_without_key(work):
    """BID-3: inspect says what the envelope is, for whom, sizes and fingerprints."""
    seal_cmd("seal", "--recipient", "tender.crt", "--out", "bid.p7m", "harga.pdf", cwd=work)
    text = seal_cmd("inspect", "bid.p7m", cwd=work).stdout
    assert "authEnvelopedData" in text and "aes256_gcm" in text and "Paket 10000001" in text
    english = seal_cmd("inspect", "bid.p7m", cwd=work, lang="en_US.UTF-8").stdout
    assert "Recipient:" in english
    data = json.loads(seal_cmd("inspect", "--json", "bid.p7m", cwd=work).stdout)
    manifest = json.loads((work / "bid.p7m.manifest.json").read_text())
    assert data["sealed"]["sha256"] == manifest["envelope"]["sha256"]
    assert data["encrypted_size"] == 300_000
    assert data["recipients"][0]["key_algorithm"] == "rsaes_oaep (sha256)"


def test_progress_bar_on_request(work):
    """BID-3: --progress draws a progress line on stderr (automatic on a terminal for big files)."""
    result = seal_cmd(
        "seal", "--progress", "--recipient", "tender.crt", "--out", "bid.p7m", "harga.pdf", cwd=work
    )
    assert "bid.p7m  100%" in result.stderr and "MB/s" in result.stderr


def test_existing_output_is_not_overwritten(work):
    """BID-3: seal and keygen refuse to replace a file unless --force."""
    seal_cmd("seal", "--recipient", "tender.crt", "--out", "bid.p7m", "harga.pdf", cwd=work)
    again = seal_cmd(
        "seal", "--recipient", "tender.crt", "--out", "bid.p7m", "harga.pdf", cwd=work, check=False
    )
    assert again.returncode == 1 and "--force" in again.stderr
    seal_cmd(
        "seal", "--recipient", "tender.crt", "--out", "bid.p7m", "--force", "harga.pdf", cwd=work
    )


# -- tus upload against a small real tus 1.0 server -----------------------------------------


class TusServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), TusHandler)
        self.uploads: dict[str, dict] = {}
        self.break_after: int | None = None  # drop the connection once past this offset
        self.patches = 0
        self.tokens: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/tus/"


class TusHandler(BaseHTTPRequestHandler):
    server: TusServer

    def log_message(self, *args):
        pass

    def _reply(self, status: int, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Tus-Resumable", "1.0.0")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        self.server.tokens.append(self.headers.get("Authorization", ""))
        upload_id = str(len(self.server.uploads) + 1)
        metadata = {}
        for item in self.headers.get("Upload-Metadata", "").split(","):
            key, _, value = item.strip().partition(" ")
            metadata[key] = base64.b64decode(value).decode()
        self.server.uploads[upload_id] = {
            "length": int(self.headers["Upload-Length"]),
            "data": bytearray(),
            "metadata": metadata,
        }
        self._reply(201, {"Location": f"/tus/{upload_id}"})

    def do_HEAD(self):
        upload = self.server.uploads.get(self.path.rsplit("/", 1)[-1])
        if upload is None:
            self._reply(404)
            return
        self._reply(200, {"Upload-Offset": str(len(upload["data"])), "Cache-Control": "no-store"})

    def do_PATCH(self):
        self.server.patches += 1
        upload = self.server.uploads[self.path.rsplit("/", 1)[-1]]
        if int(self.headers["Upload-Offset"]) != len(upload["data"]):
            self._reply(409)
            return
        left = int(self.headers["Content-Length"])
        while left:
            block = self.rfile.read(min(16384, left))
            if not block:
                return
            upload["data"] += block
            left -= len(block)
            limit = self.server.break_after
            if limit is not None and len(upload["data"]) > limit:
                self.server.break_after = None
                self.close_connection = True
                self.connection.shutdown(2)  # the line breaks mid-upload
                return
        self._reply(204, {"Upload-Offset": str(len(upload["data"]))})


@pytest.fixture
def tus_server():
    server = TusServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_upload_resumes_after_a_broken_connection(work, tus_server):
    """BID-2: `lpse-seal upload` speaks tus 1.0 (POST, HEAD, PATCH) and, when the
    connection breaks mid-upload, continues from the server's confirmed offset;
    the server ends with the envelope byte for byte and its SHA-256 in the metadata."""
    seal_cmd("seal", "--recipient", "tender.crt", "--out", "bid.p7m", "harga.pdf", cwd=work)
    envelope = (work / "bid.p7m").read_bytes()
    tus_server.break_after = 100_000
    result = seal_cmd(
        "upload",
        "--url",
        tus_server.url,
        "--token",
        "rahasia",
        "--chunk-mb",
        "1",
        "--retry-delay",
        "0.05",
        "bid.p7m",
        cwd=work,
    )
    assert "melanjutkan dari bita" in result.stderr
    assert "Unggahan selesai" in result.stdout
    (upload,) = tus_server.uploads.values()
    assert bytes(upload["data"]) == envelope
    manifest = json.loads((work / "bid.p7m.manifest.json").read_text())
    assert upload["metadata"]["sha256"] == manifest["envelope"]["sha256"]
    assert upload["metadata"]["filename"] == "bid.p7m"
    assert tus_server.tokens == ["Bearer rahasia"]
    assert not (work / "bid.p7m.upload.json").exists()


def test_upload_resumes_from_state_file_after_a_crash(work, tus_server):
    """BID-2: after the command itself died, running it again resumes the same upload."""
    seal_cmd("seal", "--recipient", "tender.crt", "--out", "bid.p7m", "harga.pdf", cwd=work)
    envelope = (work / "bid.p7m").read_bytes()
    tus_server.break_after = 50_000
    first = seal_cmd(
        "upload", "--url", tus_server.url, "--retries", "0", "bid.p7m", cwd=work, check=False
    )
    assert first.returncode == 1 and len(first.stderr.strip().splitlines()) == 1
    assert (work / "bid.p7m.upload.json").exists()
    seal_cmd("upload", "--url", tus_server.url, "bid.p7m", cwd=work)
    assert len(tus_server.uploads) == 1
    (upload,) = tus_server.uploads.values()
    assert bytes(upload["data"]) == envelope
