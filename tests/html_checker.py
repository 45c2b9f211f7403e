"""The Nu HTML Checker (the W3C validator) as a local HTTP service, started once per test process.

``vnu.jar`` comes from the npm registry (`make vnu`); Java runs it. Pages are posted to it and its JSON answer read.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VNU = Path(os.environ.get("VNU_JAR", ROOT / ".cache" / "vnu" / "vnu.jar"))


class HtmlChecker:
    def __init__(self) -> None:
        assert VNU.is_file(), f"{VNU} is missing: `make vnu` fetches the Nu HTML Checker from the npm registry"
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            ["java", "-cp", str(VNU), "-Dnu.validator.servlet.bind-address=127.0.0.1",
             "nu.validator.servlet.Main", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                self.errors("<!doctype html><html lang=en><title>t</title></html>")
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("the Nu HTML Checker did not start")

    def errors(self, html: str) -> list[str]:
        """The checker's error messages for ``html`` (warnings and info left out)."""
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/?out=json", data=html.encode("utf-8"),
                                         headers={"Content-Type": "text/html; charset=utf-8"}, method="POST")
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (our own local checker)
            messages = json.load(response)["messages"]
        return [m["message"] for m in messages if m.get("type") == "error"]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
