"""`propgraph demo` in an empty folder serves the playground with working tokens within a minute."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

DEADLINE_SECONDS = 60
TOKEN_LINE = re.compile(r"^\s+(eyJ[\w-]+\.[\w-]+\.[\w-]+)\s*$")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _command() -> list[str]:
    script = shutil.which("propgraph", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "propgraph.cli"]


def test_demo_in_an_empty_folder(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROPGRAPH_")}
    started = time.monotonic()
    process = subprocess.Popen(
        [*_command(), "demo", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    try:
        # the tokens are printed before serving starts, one per role
        while sum(bool(TOKEN_LINE.match(line)) for line in output) < 8:
            line = process.stdout.readline()  # type: ignore[union-attr]
            assert line or process.poll() is None, "".join(output)
            output.append(line)
            assert time.monotonic() - started < DEADLINE_SECONDS, "".join(output)
        base = f"http://127.0.0.1:{port}"
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() - started < DEADLINE_SECONDS, "not serving within a minute"
            time.sleep(0.2)
        text = "".join(output)
        assert f"{base}/playground" in text
        tokens = [m.group(1) for line in output if (m := TOKEN_LINE.match(line))]
        # every printed token works, one per role
        roles = set()
        for token in tokens:
            response = httpx.post(
                f"{base}/graphql",
                json={"query": "{ me { role } }"},
                headers={"Authorization": f"Bearer {token}"},
                timeout=10,
            )
            roles.add(response.json()["data"]["me"]["role"])
        assert len(roles) == 8
        playground = httpx.get(f"{base}/playground", timeout=10).text
        assert tokens[0] in playground  # the picker offers the demo accounts
        assert (tmp_path / "propgraph.db").exists()
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stdout.close()  # type: ignore[union-attr]
