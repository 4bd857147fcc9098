"""A small tus 1.0 resumable-upload client for ``lpse-seal upload`` (BID-2).

Speaks the core protocol and the creation extension (https://tus.io/protocols/resumable-upload):
``POST`` with ``Upload-Length`` and ``Upload-Metadata`` creates the upload,
``HEAD`` tells the offset the server confirmed, ``PATCH`` with
``Upload-Offset`` appends. After a broken connection it asks the offset and
continues from there; the upload's URL is kept in a state file beside the
envelope, so running the command again after a crash resumes too.

Standard library only (``http.client``): ``tuspy`` would bring aiohttp,
yarl, multidict, frozenlist, propcache, aiosignal, aiohappyeyeballs and
tinydb to every vendor's computer for about 150 lines of protocol.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import os
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

TUS_VERSION = "1.0.0"
BLOCK = 64 << 10


class TusError(Exception):
    """The server refused, or the upload could not finish after retries."""


@dataclass
class UploadResult:
    location: str
    size: int
    status: int
    headers: dict[str, str]
    body: bytes


class ApiError(TusError):
    """The LPSE JSON API answered an error: its code and message in both languages."""

    def __init__(self, status: int, code: str, message: dict[str, str]) -> None:
        super().__init__(f"HTTP {status} {code}")
        self.status = status
        self.code = code
        self.message = message


class JsonClient:
    """GET/POST JSON on the LPSE API with a bearer token (``http.client`` only)."""

    def __init__(self, *, token: str, timeout: float = 60.0, context=None) -> None:
        self.tus = TusClient("", token=token, timeout=timeout, context=context)
        self.tus.headers.pop("Tus-Resumable", None)

    def call(self, method: str, url: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        status, _headers, raw = self.tus._request(method, url, headers, data)
        try:
            answer = json.loads(raw) if raw else {}
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise ApiError(status, "bad_response", {})
        if status >= 400:
            message = answer.get("message") if isinstance(answer.get("message"), dict) else {}
            raise ApiError(status, str(answer.get("code", "")), message)
        return answer


class TusClient:
    def __init__(
        self,
        endpoint: str,
        *,
        token: str = "",
        headers: dict[str, str] | None = None,
        timeout: float = 60.0,
        chunk_size: int = 8 << 20,
        retries: int = 10,
        retry_delay: float = 1.0,
        context: ssl.SSLContext | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.headers = {"Tus-Resumable": TUS_VERSION, **(headers or {})}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.timeout = timeout
        self.chunk_size = chunk_size
        self.retries = retries
        self.retry_delay = retry_delay
        self.context = context

    # -- HTTP ----------------------------------------------------------------------------------
    def _connection(self, url: str) -> tuple[http.client.HTTPConnection, str]:
        parts = urlsplit(url)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        if parts.scheme == "https":
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                parts.hostname, parts.port, timeout=self.timeout, context=self.context
            )
        elif parts.scheme == "http":
            connection = http.client.HTTPConnection(
                parts.hostname, parts.port, timeout=self.timeout
            )
        else:
            raise TusError(f"URL must be http(s): {url}")
        return connection, path

    def _request(
        self, method: str, url: str, headers: dict[str, str], body=None
    ) -> tuple[int, dict[str, str], bytes]:
        connection, path = self._connection(url)
        try:
            connection.request(method, path, body=body, headers={**self.headers, **headers})
            response = connection.getresponse()
            data = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        finally:
            connection.close()

    # -- protocol ------------------------------------------------------------------------------
    def create(self, size: int, metadata: dict[str, str]) -> str:
        encoded = ",".join(
            f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in metadata.items()
        )
        status, headers, body = self._request(
            "POST",
            self.endpoint,
            {"Upload-Length": str(size), "Upload-Metadata": encoded, "Content-Length": "0"},
        )
        if status != 201 or "location" not in headers:
            raise TusError(_refusal(status, body))
        return urljoin(self.endpoint, headers["location"])

    def offset(self, location: str) -> int:
        status, headers, body = self._request("HEAD", location, {})
        if status not in (200, 204) or "upload-offset" not in headers:
            raise TusError(_refusal(status, body))
        return int(headers["upload-offset"])

    def _patch(self, location: str, handle, offset: int, length: int, progress) -> tuple:
        connection, path = self._connection(location)
        try:
            connection.putrequest("PATCH", path, skip_accept_encoding=True)
            for key, value in {
                **self.headers,
                "Upload-Offset": str(offset),
                "Content-Type": "application/offset+octet-stream",
                "Content-Length": str(length),
            }.items():
                connection.putheader(key, value)
            connection.endheaders()
            handle.seek(offset)
            left = length
            while left:
                block = handle.read(min(BLOCK, left))
                if not block:
                    raise TusError("file shrank during upload")
                connection.send(block)
                left -= len(block)
                progress(offset + length - left)
            response = connection.getresponse()
            body = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        finally:
            connection.close()

    def upload(
        self,
        path: Path,
        *,
        metadata: dict[str, str],
        state_file: Path | None = None,
        identity: str = "",
        progress: Callable[[int], None] = lambda done: None,
        on_resume: Callable[[int], None] = lambda offset: None,
        create: Callable[[], str] | None = None,
    ) -> UploadResult:
        """Upload ``path`` (creating or resuming), returning the final response.

        ``identity`` (e.g. the file's SHA-256) must match the state file's for
        a resume: a different envelope of the same size starts afresh.
        ``create`` replaces the tus creation request (e.g. the LPSE JSON API
        creates the upload and returns its tus URL).
        """
        size = path.stat().st_size
        key = f"{size}:{identity}"
        location = _load_state(state_file, self.endpoint, key)
        if location is not None:
            try:
                self.offset(location)
            except TusError:  # the server forgot it (expired): start afresh
                location = None
        if location is None:
            location = create() if create is not None else self.create(size, metadata)
            _save_state(state_file, self.endpoint, key, location)
        failures = 0
        offset: int | None = None
        last: tuple[int, dict[str, str], bytes] | None = None
        with open(path, "rb") as handle:
            while True:
                try:
                    if offset is None:
                        offset = self.offset(location)
                        if offset:
                            on_resume(offset)
                    progress(offset)
                    if offset >= size and last is not None:
                        break
                    if offset >= size:  # resumed an upload the server already has whole
                        last = (204, {}, b"")
                        break
                    length = min(self.chunk_size, size - offset)
                    status, headers, body = self._patch(location, handle, offset, length, progress)
                    if status not in (200, 204) or "upload-offset" not in headers:
                        raise TusError(_refusal(status, body))
                    offset = int(headers["upload-offset"])
                    last = (status, headers, body)
                    failures = 0
                except (OSError, http.client.HTTPException) as exc:
                    failures += 1
                    if failures > self.retries:
                        raise TusError(f"{type(exc).__name__}: {exc}") from exc
                    time.sleep(min(self.retry_delay * failures, 30))
                    offset = None  # ask the server what it has
        if state_file is not None:
            with contextlib.suppress(FileNotFoundError):
                state_file.unlink()
        status, headers, body = last
        return UploadResult(location=location, size=size, status=status, headers=headers, body=body)


def _refusal(status: int, body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip().splitlines()
    return f"HTTP {status}" + (f": {text[0][:200]}" if text else "")


def _load_state(state_file: Path | None, endpoint: str, key: str) -> str | None:
    if state_file is None or not state_file.exists():
        return None
    try:
        state = json.loads(state_file.read_text())
    except (OSError, ValueError):
        return None
    if state.get("endpoint") == endpoint and state.get("key") == key:
        return state.get("location")
    return None


def _save_state(state_file: Path | None, endpoint: str, key: str, location: str) -> None:
    if state_file is None:
        return
    temp = state_file.with_name(f".{state_file.name}.part")
    temp.write_text(json.dumps({"endpoint": endpoint, "key": key, "location": location}))
    os.replace(temp, state_file)
