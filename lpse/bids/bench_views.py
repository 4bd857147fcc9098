"""Bench only (bench/bid_rush.py): a plain file sink to compare the sealing upload against.

Registered in urls.py only when settings.LPSE_BENCH_SINK is on (never in production):
it streams a multipart upload through Django's parser straight into a temp file."""

from __future__ import annotations

import hashlib
import os

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from . import storage


class _SinkHandler(FileUploadHandler):
    chunk_size = 1024 * 1024

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.path, self.handle = storage.new_temp_file("sink-")
        self.digest = hashlib.sha256()

    def receive_data_chunk(self, raw_data, start):
        self.handle.write(raw_data)
        self.digest.update(raw_data)
        return None

    def file_complete(self, file_size):
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        self.size = file_size
        storage.remove_quietly(self.path)
        return None


@csrf_exempt
def sink(request):
    if not settings.LPSE_BENCH_SINK or request.method != "POST":
        raise Http404
    handler = _SinkHandler(request)
    request.upload_handlers = [handler]
    request.POST  # noqa: B018
    return JsonResponse({"sha256": handler.digest.hexdigest(), "size": handler.size}, status=201)
