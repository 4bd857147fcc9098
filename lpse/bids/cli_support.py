"""Support of the ``lpse-seal`` command: messages in two languages, progress, files (BID-3).

Messages are Indonesian by default and English when ``LANG`` starts with
``en`` (the command runs on vendors' computers, without Django). The
progress printer is a few lines on stderr, shown only on a terminal (or
with ``--progress``): no dependency for a bar.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import sys
import time
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

TEXT: dict[str, tuple[str, str]] = {
    # key: (Indonesian, English)
    "description": (
        "Segel, buka, periksa dan unggah amplop penawaran (CMS) untuk LPSE.",
        "Seal, open, check and upload bid envelopes (CMS) for the LPSE.",
    ),
    "keygen": ("Buat pasangan kunci paket dan sertifikatnya.", "Create a tender key pair."),
    "seal": ("Segel berkas menjadi satu amplop.", "Seal files into one envelope."),
    "open": ("Buka amplop dengan kunci atau bagian kunci.", "Open an envelope."),
    "verify": ("Periksa amplop terhadap tanda terima/tanda tangan.", "Check an envelope."),
    "inspect": ("Tampilkan isi kepala amplop tanpa kunci.", "Describe an envelope (no key)."),
    "upload": (
        "Unggah amplop lewat API LPSE (dapat dilanjutkan, tus 1.0) dan simpan tanda terimanya.",
        "Upload an envelope through the LPSE API (resumable, tus 1.0) and keep its receipt.",
    ),
    "exists": (
        "Berkas {path} sudah ada; pakai --force untuk menimpa.",
        "{path} already exists; use --force to overwrite.",
    ),
    "missing": ("Berkas {path} tidak ada atau tidak terbaca.", "{path} is missing or unreadable."),
    "bad_cert": (
        "Berkas {path} bukan sertifikat X.509 (PEM/DER).",
        "{path} is not an X.509 certificate (PEM/DER).",
    ),
    "bad_key": (
        "Berkas {path} bukan kunci privat atau frasa sandinya salah.",
        "{path} is not a private key, or the passphrase is wrong.",
    ),
    "duplicate_name": (
        "Dua berkas bernama sama: {name}.",
        "Two files have the same name: {name}.",
    ),
    "need_key_out": (
        "Sebutkan --key-out (atau --shares N --threshold K).",
        "Give --key-out (or --shares N --threshold K).",
    ),
    "need_both_sign": (
        "Untuk menandatangani perlu --sign-key dan --sign-cert.",
        "Signing needs both --sign-key and --sign-cert.",
    ),
    "need_key": (
        "Sebutkan --key atau --share.",
        "Give --key or --share.",
    ),
    "need_passphrase": (
        "Frasa sandi diperlukan: pakai --passphrase-file (tidak ada terminal untuk bertanya).",
        "A passphrase is needed: use --passphrase-file (no terminal to ask on).",
    ),
    "need_share_passphrases": (
        "Beri --share-passphrase-file untuk tiap bagian, atau --no-passphrase.",
        "Give --share-passphrase-file for each share, or --no-passphrase.",
    ),
    "share_count": (
        "Jumlah --share-passphrase-file harus {n}.",
        "--share-passphrase-file must be given {n} times.",
    ),
    "threshold": (
        "Ambang (--threshold) harus 2..{n} (jumlah bagian).",
        "--threshold must be 2..{n} (the number of shares).",
    ),
    "no_encrypted_key": (
        "Bagian kunci tidak memuat kunci terenkripsi; sebutkan juga --key.",
        "The shares carry no encrypted key; give --key as well.",
    ),
    "prompt_key": ("Frasa sandi kunci {path}: ", "Passphrase of key {path}: "),
    "prompt_share": ("Frasa sandi bagian kunci {path}: ", "Passphrase of share {path}: "),
    "prompt_new_share": (
        "Frasa sandi untuk bagian {index} (pemegang bagian mengetik; kosong = tanpa): ",
        "Passphrase for share {index} (its holder types it; empty = none): ",
    ),
    "prompt_again": ("Ulangi: ", "Again: "),
    "mismatch": ("Frasa sandi tidak sama.", "The passphrases differ."),
    "keygen_done": (
        "Kunci: {key}\nSertifikat: {cert} (kirim ini ke LPSE / pakai untuk menyegel)",
        "Key: {key}\nCertificate: {cert} (send this to the LPSE / use it to seal)",
    ),
    "share_written": ("Bagian {index}/{n}: {path}", "Share {index}/{n}: {path}"),
    "sealed": ("Amplop tersegel: {path}", "Sealed envelope: {path}"),
    "opened": ("Dibuka: {path}", "Opened: {path}"),
    "plain": ("Isi", "Content"),
    "envelope": ("Amplop", "Envelope"),
    "manifest_written": ("Manifes: {path}", "Manifest: {path}"),
    "signature_written": ("Tanda tangan manifes: {path}", "Manifest signature: {path}"),
    "manifest_mismatch": (
        "Berkas {name} tidak cocok dengan manifes (ukuran/MD5/SHA-256).",
        "{name} does not match the manifest (size/MD5/SHA-256).",
    ),
    "bad_zip": (
        "Isi amplop adalah ZIP yang rusak atau berisi nama berkas tidak aman.",
        "The envelope holds a damaged ZIP or unsafe file names.",
    ),
    "not_for": (
        "Amplop tidak disegel untuk sertifikat {path}.",
        "The envelope was not sealed for certificate {path}.",
    ),
    "fingerprint_mismatch": (
        "Sidik jari amplop tidak cocok dengan yang diharapkan ({what}).",
        "The envelope's fingerprint does not match the expected one ({what}).",
    ),
    "receipt_mismatch": (
        "SHA-256 amplop tidak tercantum dalam tanda terima {path}.",
        "The envelope's SHA-256 is not in receipt {path}.",
    ),
    "manifest_envelope_mismatch": (
        "Manifes bertanda tangan menyebut amplop lain (SHA-256 berbeda).",
        "The signed manifest names another envelope (SHA-256 differs).",
    ),
    "signer_not_ca": (
        "Tanda terima tidak ditandatangani oleh CA {path}.",
        "The receipt is not signed by CA {path}.",
    ),
    "verify_ok": ("Pemeriksaan berhasil: {checks}.", "Checks passed: {checks}."),
    "check_structure": ("struktur amplop utuh", "envelope structure complete"),
    "check_recipient": ("penerima {path}", "recipient {path}"),
    "check_fingerprint": ("sidik jari", "fingerprint"),
    "check_receipt": ("tanda terima", "receipt"),
    "check_receipt_signature": ("tanda tangan tanda terima", "receipt signature"),
    "check_signature": ("tanda tangan manifes oleh {subject}", "manifest signed by {subject}"),
    "upload_done": ("Unggahan selesai: {url}", "Upload complete: {url}"),
    "upload_failed": ("Unggahan gagal: {reason}", "Upload failed: {reason}"),
    "upload_resume": (
        "Koneksi terputus; melanjutkan dari bita {offset}.",
        "Connection lost; resuming from byte {offset}.",
    ),
    "need_target": (
        "Sebutkan --server dan --tender (atau --url alamat tus).",
        "Give --server and --tender (or --url, a tus address).",
    ),
    "bad_tender_code": (
        "Kode tender harus berupa angka: {code}.",
        "The tender code must be digits: {code}.",
    ),
    "need_token": (
        "Token API diperlukan: --token-file, --token, atau variabel LPSE_TOKEN.",
        "An API token is needed: --token-file, --token, or the LPSE_TOKEN variable.",
    ),
    "api_refused": ("Server menolak: {message} [{code}]", "The server refused: {message} [{code}]"),
    "bad_response": (
        "Jawaban server tidak dikenali (HTTP {status}). [bad_response]",
        "Unrecognised answer from the server (HTTP {status}). [bad_response]",
    ),
    "connection_failed": (
        "Tidak dapat menghubungi {url}: {reason} [connection_failed]",
        "Cannot reach {url}: {reason} [connection_failed]",
    ),
    "not_for_tender": (
        "Amplop tidak disegel untuk sertifikat tender {code} (SHA-256 {sha256}); tidak ada "
        "yang dikirim. Segel ulang dengan sertifikat tender. [not_for_tender]",
        "The envelope is not sealed for the certificate of tender {code} (SHA-256 {sha256}); "
        "nothing was sent. Seal again with the tender certificate. [not_for_tender]",
    ),
    "too_large": (
        "Amplop {size} B melebihi batas tender {max} B; tidak ada yang dikirim. [too_large]",
        "The envelope's {size} B exceed the tender's limit of {max} B; nothing was sent. "
        "[too_large]",
    ),
    "upload_aborted": (
        "Server membatalkan unggahan: {reason} [upload_aborted]",
        "The server aborted the upload: {reason} [upload_aborted]",
    ),
    "receipt_differs": (
        "Tanda terima dari server tidak cocok dengan amplop ini ({what}). [receipt_mismatch]",
        "The server's receipt does not match this envelope ({what}). [receipt_mismatch]",
    ),
    "upload_receipt": (
        "Penawaran diterima: {number}, tender {tender}, {at}, {size} B, SHA-256 {sha256}; "
        "tanda terima {path}",
        "Bid received: {number}, tender {tender}, {at}, {size} B, SHA-256 {sha256}; receipt {path}",
    ),
    "interrupted": ("Dibatalkan.", "Interrupted."),
    "io_error": ("Gagal membaca/menulis berkas: {reason}", "File read/write failed: {reason}"),
    # option help
    "h_progress": ("tampilkan bilah kemajuan", "show a progress bar"),
    "h_key_out": (
        "berkas kunci privat (PEM); dengan --shares: kunci terenkripsi",
        "private key file (PEM); with --shares: the encrypted key",
    ),
    "h_cert_out": ("berkas sertifikat (PEM)", "certificate file (PEM)"),
    "h_common_name": ("nama pada sertifikat", "name in the certificate"),
    "h_days": ("masa berlaku sertifikat (hari)", "certificate validity (days)"),
    "h_key_passphrase": (
        "berkas berisi frasa sandi kunci privat",
        "file holding the private key's passphrase",
    ),
    "h_shares": (
        "tulis N berkas bagian kunci, bukan kunci utuh",
        "write N key share files instead of the whole key",
    ),
    "h_threshold": ("K bagian yang diperlukan untuk membuka", "K shares needed to open"),
    "h_share_prefix": ("berkas bagian: PREFIX-i-of-N.share", "share files: PREFIX-i-of-N.share"),
    "h_share_pass": (
        "berkas frasa sandi bagian ke-i (ulangi N kali, berurutan)",
        "passphrase file of share i (repeat N times, in order)",
    ),
    "h_no_passphrase": ("bagian tanpa frasa sandi", "shares without passphrases"),
    "h_force": ("timpa berkas yang sudah ada", "overwrite existing files"),
    "h_recipient": ("sertifikat paket (PEM/DER)", "tender certificate (PEM/DER)"),
    "h_seal_out": ("berkas amplop yang ditulis", "envelope file to write"),
    "h_sign_key": ("kunci privat penyedia untuk menandatangani manifes", "vendor key (signs)"),
    "h_sign_cert": ("sertifikat penyedia", "vendor certificate"),
    "h_files": (
        "satu berkas (disegel apa adanya) atau beberapa (ZIP + manifest.json)",
        "one file (sealed as is) or several (ZIP + manifest.json)",
    ),
    "h_open_key": (
        "kunci privat, atau kunci terenkripsi untuk --share",
        "private key, or the encrypted key for --share",
    ),
    "h_share": ("berkas bagian kunci (ulangi sampai K)", "key share file (repeat up to K)"),
    "h_open_passphrase": (
        "berkas frasa sandi (kunci, atau tiap --share berurutan)",
        "passphrase file (the key's, or each --share's in order)",
    ),
    "h_open_cert": (
        "sertifikat paket (diagnosis lebih tepat)",
        "tender certificate (more precise diagnosis)",
    ),
    "h_open_out": ("direktori tujuan", "output directory"),
    "h_expect": ("nilai amplop yang diharapkan", "expected value for the envelope"),
    "h_receipt": (
        "tanda terima (teks) yang harus memuat SHA-256 amplop",
        "receipt (text) that must contain the envelope's SHA-256",
    ),
    "h_receipt_signature": (
        "tanda tangan CMS tanda terima (dari LPSE)",
        "CMS signature of the receipt (from the LPSE)",
    ),
    "h_ca": ("sertifikat CA LPSE", "LPSE CA certificate"),
    "h_signature": (
        "<amplop>.sig (manifes bertanda tangan dari seal)",
        "<envelope>.sig (signed manifest written by seal)",
    ),
    "h_json": ("keluaran JSON", "JSON output"),
    "h_server": ("alamat LPSE, mis. https://lpse.example", "the LPSE's address"),
    "h_tender": ("kode tender", "tender code"),
    "h_url": (
        "cara lama: alamat unggah tus paket (tanpa API)",
        "older form: the tender's tus upload URL (no API)",
    ),
    "h_token": (
        "token API (bids:write); juga dari LPSE_TOKEN",
        "API token (bids:write); also from LPSE_TOKEN",
    ),
    "h_token_file": ("berkas berisi token API", "file holding the API token"),
    "h_metadata": ("metadata tambahan", "extra metadata"),
    "h_chunk": ("ukuran tiap PATCH (MB)", "size of each PATCH (MB)"),
    "h_retries": ("jumlah percobaan ulang", "retries"),
    "h_retry_delay": ("jeda percobaan ulang (detik)", "retry delay (seconds)"),
}


def english() -> bool:
    return os.environ.get("LANG", "").lower().startswith("en")


def t(message_id: str, /, **values) -> str:
    """A message in the user's language (LANG=en* gives English)."""
    indonesian, english_text = TEXT[message_id]
    return (english_text if english() else indonesian).format(**values)


class CliError(Exception):
    """Ends the command with a one-line reason and exit status ``status``."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


# -- progress ----------------------------------------------------------------------------------


class Progress:
    """``label  42%  420.0/1000.0 MB  85 MB/s`` on stderr, at most ten times a second."""

    MIN_SIZE = 8 << 20  # smaller files finish before a bar helps

    def __init__(self, label: str, total: int, *, enabled: bool | None = None) -> None:
        if enabled is None:
            enabled = sys.stderr.isatty() and total >= self.MIN_SIZE
        self.enabled = enabled
        self.label = label
        self.total = max(total, 1)
        self.done = 0
        self.started = time.monotonic()
        self._shown = 0.0

    def update(self, count: int) -> None:
        self.done += count
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._shown >= 0.1 or self.done >= self.total:
            self._shown = now
            self._draw(now)

    def set(self, done: int) -> None:
        self.update(done - self.done)

    def _draw(self, now: float) -> None:
        rate = self.done / max(now - self.started, 1e-6) / 1e6
        percent = min(100, int(self.done * 100 / self.total))
        sys.stderr.write(
            f"\r{self.label}  {percent:3d}%  {self.done / 1e6:.1f}/{self.total / 1e6:.1f} MB"
            f"  {rate:.0f} MB/s "
        )
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(time.monotonic())
            sys.stderr.write("\n")
            sys.stderr.flush()


# -- files, keys, passphrases ------------------------------------------------------------------


def read_bytes(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError:
        raise CliError(t("missing", path=path)) from None


def load_certificate(path: Path) -> x509.Certificate:
    data = read_bytes(path)
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise CliError(t("bad_cert", path=path)) from None


def read_passphrase_file(path: Path) -> str:
    text = read_bytes(path).decode("utf-8", "replace")
    return text[:-1] if text.endswith("\n") else text


def ask(prompt: str) -> str:
    """A passphrase typed on the terminal (never echoed); an error without a terminal."""
    if not sys.stdin.isatty():
        raise CliError(t("need_passphrase"))
    return getpass.getpass(prompt)


def load_private_key(path: Path, passphrase_file: Path | None):
    data = read_bytes(path)
    password = read_passphrase_file(passphrase_file).encode() if passphrase_file else None
    loader = (
        serialization.load_pem_private_key
        if b"-----BEGIN" in data
        else serialization.load_der_private_key
    )
    try:
        return loader(data, password=password)
    except TypeError:
        # Encrypted, and no passphrase given: ask on the terminal.
        password = ask(t("prompt_key", path=path)).encode()
    except ValueError:
        raise CliError(t("bad_key", path=path)) from None
    try:
        return loader(data, password=password)
    except (TypeError, ValueError):
        raise CliError(t("bad_key", path=path)) from None


def write_new(path: Path, data: bytes, *, force: bool, private: bool = False) -> None:
    """Write ``data`` to ``path`` (refusing to replace a file unless ``force``)."""
    path = Path(path)
    if path.exists() and not force:
        raise CliError(t("exists", path=path))
    temp = path.with_name(f".{path.name}.part")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
