"""Call pyHanko's synchronous API from any thread (ERR-1).

pyHanko's sync functions (signing a PDF, validating a signature) wrap `asyncio.run`, which
refuses to start when the calling thread already runs an event loop (an ASGI worker, or a
test process driving Playwright's sync API). `off_loop` calls the function directly when no
loop runs, and otherwise in a short-lived worker thread of its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def off_loop(function: Callable[..., T], *args, **kwargs) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyhanko") as pool:
        return pool.submit(function, *args, **kwargs).result()
