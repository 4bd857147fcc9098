"""GEN-2: the task queue works on the configured backend (SqliteHuey, or Redis with REDIS_URL)."""

from __future__ import annotations

import uuid

from django.conf import settings
from huey.utils import load_class


def test_task_round_trips_through_the_configured_queue_backend(tmp_path):
    config = {k: v for k, v in settings.HUEY.items() if k not in {"huey_class", "consumer"}}
    config.update(name=f"lpse-test-{uuid.uuid4().hex}", immediate=False)
    if "filename" in config:
        config["filename"] = str(tmp_path / "tasks.sqlite3")
    queue = load_class(settings.HUEY["huey_class"])(**config)

    @queue.task()
    def add(a: int, b: int) -> int:
        return a + b

    try:
        pending = add(20, 22)
        assert queue.pending_count() == 1
        task = queue.dequeue()
        queue.execute(task)
        assert pending.get() == 42
        assert queue.pending_count() == 0
    finally:
        queue.flush()
