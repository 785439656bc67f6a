"""Headless Chromium driven over the DevTools protocol: for the page tests and the benchmark.

    with Chromium() as browser:
        page = browser.new_page()
        page.goto(Path("view.html").resolve().as_uri())
        page.wait_for("window.kg && kg.stableAt !== null")
        page.evaluate("kg.nodes.length")
        page.requests   # every URL the page asked for (the page itself included)
        page.blocked    # those that were not file:// and so were stopped
        page.errors     # console errors, uncaught exceptions, failed loads

Every request a page makes goes through the Fetch domain: file:// is let through, anything
else is failed (and recorded) before it leaves the browser. Chromium runs with a fresh
profile and without the background services that would go online by themselves.

Needs the ``websocket-client`` package (the ``test`` extra) and Debian's ``chromium``
(``scripts/install-browser``); :func:`chromium_path` says whether the browser is there.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--metrics-recording-only",
    "--mute-audio",
    "--hide-scrollbars",
)


class BrowserError(RuntimeError):
    """Chromium did not start, or a DevTools command failed."""


def chromium_path() -> str | None:
    """The Chromium to use ($KG_CHROMIUM, /usr/bin/chromium, or chromium on PATH), if any."""
    for candidate in (os.environ.get("KG_CHROMIUM"), CHROMIUM, shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


class Chromium:
    """One headless Chromium with a fresh profile, and a DevTools connection to it."""

    def __init__(self, executable: str | None = None, *, timeout: float = 30.0, width: int = 1280, height: int = 800):
        import websocket  # the test extra: websocket-client

        executable = executable or chromium_path()
        if not executable:
            raise BrowserError("no Chromium found: run scripts/install-browser")
        self.timeout, self.width, self.height = timeout, width, height
        self.profile = Path(tempfile.mkdtemp(prefix="kg-chromium-"))
        self._log = (self.profile / "chromium.log").open("wb")
        self.process = subprocess.Popen(
            [
                executable, *FLAGS, f"--user-data-dir={self.profile}", "--remote-debugging-port=0",
                "--remote-debugging-address=127.0.0.1", f"--window-size={width},{height}", "about:blank",
            ],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
        )
        self._replies: dict[int, dict] = {}
        self._events: list[dict] = []
        self._next_id = 0
        self.pages: dict[str, Page] = {}
        try:
            port, path = self._devtools_address()
            self.socket = websocket.create_connection(
                f"ws://127.0.0.1:{port}{path}", timeout=timeout, suppress_origin=True
            )
        except BaseException:
            self.close()
            raise

    def _devtools_address(self) -> tuple[str, str]:
        """Chromium writes its DevTools port and browser path to DevToolsActivePort."""
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BrowserError(f"Chromium exited with {self.process.returncode}: {self.log()[-2000:]}")
            if port_file.is_file():
                lines = port_file.read_text().split()
                if len(lines) >= 2:
                    return lines[0], lines[1]
            time.sleep(0.05)
        raise BrowserError(f"Chromium did not open DevTools within {self.timeout} s: {self.log()[-2000:]}")

    def log(self) -> str:
        return (self.profile / "chromium.log").read_text("utf-8", errors="replace")

    # ------------------------------------------------------------ protocol

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float | None = None) -> dict:
        """Send one command and return its result; events that arrive meanwhile are handled."""
        self._next_id += 1
        number = self._next_id
        message: dict = {"id": number, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.socket.send(json.dumps(message))
        deadline = time.monotonic() + (timeout or self.timeout)
        while number not in self._replies:
            self._receive(deadline)
            self._dispatch()
        reply = self._replies.pop(number)
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error'].get('message')} {reply['error'].get('data', '')}".strip())
        return reply.get("result", {})

    def pump(self, seconds: float) -> None:
        """Handle events for ``seconds``."""
        import websocket

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self._receive(deadline)
            except (TimeoutError, websocket.WebSocketTimeoutException):
                break
            self._dispatch()

    def _receive(self, deadline: float) -> None:
        import websocket

        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no answer from Chromium in time")
        self.socket.settimeout(remaining)
        try:
            message = json.loads(self.socket.recv())
        except websocket.WebSocketTimeoutException as error:
            raise TimeoutError("no answer from Chromium in time") from error
        if "id" in message:
            self._replies[message["id"]] = message
        else:
            self._events.append(message)

    def _dispatch(self) -> None:
        while self._events:
            event = self._events.pop(0)
            page = self.pages.get(event.get("sessionId", ""))
            if page is not None:
                page._event(event["method"], event.get("params", {}))

    # ------------------------------------------------------------ pages

    def new_page(self) -> Page:
        """A new tab with requests intercepted, console and errors recorded."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, target, session)
        self.pages[session] = page
        for method, params in (
            ("Page.enable", {}),
            ("Runtime.enable", {}),
            ("Log.enable", {}),
            ("Network.enable", {}),
            ("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}),
            ("Emulation.setDeviceMetricsOverride", {"width": self.width, "height": self.height, "deviceScaleFactor": 1, "mobile": False}),
        ):
            page.send(method, params)
        return page

    def close(self) -> None:
        socket = getattr(self, "socket", None)
        if socket is not None:
            try:
                self.send("Browser.close", timeout=5)
            except Exception:  # noqa: BLE001 - closing anyway
                pass
            socket.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Page:
    """One tab: navigate, evaluate JavaScript, click, take screenshots; what it asked for."""

    def __init__(self, browser: Chromium, target: str, session: str):
        self.browser, self.target, self.session = browser, target, session
        self.requests: list[str] = []  # every URL requested, in order
        self.blocked: list[str] = []  # requests stopped because they were not file://
        self.errors: list[str] = []  # console errors, uncaught exceptions, failed loads
        self.console: list[tuple[str, str]] = []  # (type, text) of every console call
        self.loaded = False
        self.url = "about:blank"

    def send(self, method: str, params: dict | None = None, timeout: float | None = None) -> dict:
        return self.browser.send(method, params, self.session, timeout)

    def _event(self, method: str, params: dict) -> None:
        if method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
        elif method == "Fetch.requestPaused":
            url = params["request"]["url"]
            if url.startswith("file://"):
                self.send("Fetch.continueRequest", {"requestId": params["requestId"]})
            else:
                self.blocked.append(url)
                self.send("Fetch.failRequest", {"requestId": params["requestId"], "errorReason": "BlockedByClient"})
        elif method == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            self.console.append((params["type"], text))
            if params["type"] in ("error", "assert"):
                self.errors.append(f"console.{params['type']}: {text}")
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            self.errors.append("exception: " + str(details.get("exception", {}).get("description") or details.get("text")))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            self.errors.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}".strip())
        elif method == "Page.loadEventFired":
            self.loaded = True

    def goto(self, url: str, timeout: float = 30.0) -> None:
        """Navigate and wait for the load event."""
        self.loaded = False
        self.url = url
        result = self.send("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise BrowserError(f"cannot open {url}: {result['errorText']}")
        deadline = time.monotonic() + timeout
        while not self.loaded:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not load within {timeout} s")
            self.browser.pump(0.05)

    def evaluate(self, expression: str, timeout: float | None = None):
        """The value of a JavaScript expression (promises awaited), or BrowserError if it throws."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True, "userGesture": True},
            timeout,
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise BrowserError(str(details.get("exception", {}).get("description") or details.get("text")))
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 20.0, interval: float = 0.02):
        """Poll until ``expression`` is truthy and return its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"still false after {timeout} s: {expression}")
            self.browser.pump(interval)

    def click(self, x: float, y: float) -> None:
        """A left click at viewport pixel (x, y), as a mouse would do it."""
        for kind, extra in (("mouseMoved", {}), ("mousePressed", {"clickCount": 1}), ("mouseReleased", {"clickCount": 1})):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", **extra})

    def type_text(self, text: str) -> None:
        self.send("Input.insertText", {"text": text})

    def press(self, key: str) -> None:
        """Press and release a named key, e.g. Enter."""
        codes = {"Enter": 13, "Escape": 27}
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", {"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": codes.get(key, 0)})

    def screenshot(self, path: Path | str) -> Path:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path = Path(path)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        self.browser.pages.pop(self.session, None)
        try:
            self.browser.send("Target.closeTarget", {"targetId": self.target}, timeout=5)
        except Exception:  # noqa: BLE001 - the browser may be gone already
            pass


def main(argv: list[str] | None = None) -> None:
    """python tests/browser.py PAGE.html OUT.png [WIDTH HEIGHT]: a screenshot of a kg page
    once its graph is drawn and still (how docs/focus.png is made)."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (2, 4):
        raise SystemExit(main.__doc__)
    width, height = (int(args[2]), int(args[3])) if len(args) == 4 else (1400, 860)
    with Chromium(width=width, height=height) as browser:
        page = browser.new_page()
        page.goto(Path(args[0]).resolve().as_uri())
        page.wait_for("window.kg && kg.stableAt !== null", timeout=60)
        browser.pump(0.3)
        page.screenshot(args[1])
        if page.errors or page.blocked:
            raise SystemExit(f"page errors: {page.errors}; blocked requests: {page.blocked}")


if __name__ == "__main__":
    main()
