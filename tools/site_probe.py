"""Open built pages in headless Chromium and record what they request.

Shared by the page-weight benchmark and the browser tests.
Chromium comes from Debian (``/usr/bin/chromium``); Playwright never downloads a browser here.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Return the path of a Chromium executable, or None when there is none."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def firefox_path() -> str | None:
    """Return the path of Debian's Firefox ESR, or None when there is none."""
    for candidate in (os.environ.get("FIREFOX"), shutil.which("firefox-esr")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    served: list[int] | None = None  # body bytes of each response, when counted

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def copyfile(self, source, outputfile) -> None:  # noqa: ANN001
        start = source.tell()
        super().copyfile(source, outputfile)
        if self.served is not None:
            self.served.append(source.tell() - start)


@contextlib.contextmanager
def serve_directory(directory: Path, served: list[int] | None = None) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 at a free port and yield its base URL.

    With ``served``, the size of every response body that the server sends is appended
    to it: what crossed the network, whatever the browser kept in its cache (a response
    "304 Not Modified" has no body).
    """
    handler_class = type("_Handler", (_QuietHandler,), {"served": served})
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class PageVisit:
    """What a first visit to one page transferred."""

    url: str
    responses: list[tuple[str, str, int]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        """Sum of all response bodies, in bytes."""
        return sum(size for _, _, size in self.responses)

    def hosts(self) -> set[str]:
        """Every host (``scheme://netloc``) the page requested."""
        urls = [url for url, _, _ in self.responses] + self.failed
        return {f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in urls}

    def by_type(self) -> dict[str, int]:
        """Bytes per resource type (document, script, stylesheet, font, image...)."""
        totals: dict[str, int] = {}
        for _, kind, size in self.responses:
            totals[kind] = totals.get(kind, 0) + size
        return dict(sorted(totals.items(), key=lambda item: -item[1]))


def visit(browser, url: str, *, wait_ms: int = 500) -> PageVisit:  # noqa: ANN001
    """Load ``url`` in a fresh browser context (empty cache) and record every response."""
    result = PageVisit(url)
    context = browser.new_context()
    page = context.new_page()

    def on_response(response) -> None:  # noqa: ANN001
        try:
            size = len(response.body())
        except Exception:  # redirects and aborted requests have no body
            size = 0
        result.responses.append((response.url, response.request.resource_type, size))
        if response.status >= 400:
            result.failed.append(response.url)

    page.on("response", on_response)
    page.on("requestfailed", lambda request: result.failed.append(request.url))
    page.on(
        "console",
        lambda message: (
            result.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: result.console_errors.append(str(error)))
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(wait_ms)
    context.close()
    return result


def sweep(chromium: str, jobs: list[Callable[..., Awaitable]]) -> list:
    """Run async jobs side by side on one headless Chromium; return their results in order.

    Each job is an async function that takes the browser (Playwright's async API).
    Loading a page and running a script in it mostly waits (for the network to be
    idle, for a renderer process), so two to four jobs over shares of the pages of
    a site take a fraction of the time of one loop. The jobs run in a thread of their
    own, away from any event loop of the caller (Playwright's sync API has one); an
    exception of a job is raised here.
    """
    from playwright.async_api import async_playwright

    async def run() -> list:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                return list(await asyncio.gather(*(job(browser) for job in jobs)))
            finally:
                await browser.close()

    outcome: dict = {}

    def target() -> None:
        try:
            outcome["result"] = asyncio.run(run())
        except BaseException as error:  # noqa: BLE001  (raised again in the caller)
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]
