"""`propgraph demo` in an empty folder serves the playground with working tokens within a minute.

Its logs are JSON lines, and `propgraph token` run afterwards in the same folder signs with
the demo's development secret.
"""

from __future__ import annotations

import json
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
    logs = (tmp_path.parent / f"{tmp_path.name}-demo.log").open("w+")
    process = subprocess.Popen(
        [*_command(), "demo", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=logs,
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
        # `propgraph token` in the demo's folder, with no key configured, works against it
        minted = subprocess.run(
            [*_command(), "token", "city_head"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert minted.returncode == 0, minted.stderr
        response = httpx.post(
            f"{base}/graphql",
            json={"query": "{ me { username } }"},
            headers={"Authorization": f"Bearer {minted.stdout.strip()}"},
            timeout=10,
        )
        assert response.json()["data"]["me"] == {"username": "city_head"}
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stdout.close()  # type: ignore[union-attr]
        logs.seek(0)
        log_lines = [line for line in logs.read().splitlines() if line.strip()]
        logs.close()
    # every log line is a JSON object with its level and request id (README "HTTP"),
    # after the seed's progress bars
    first = next(i for i, line in enumerate(log_lines) if line.startswith("{"))
    assert all("rows" in line for line in log_lines[:first]), log_lines[:first]
    records = [json.loads(line) for line in log_lines[first:]]
    assert records and all({"level", "message", "request_id"} <= set(r) for r in records)
    assert any(r["message"] == "graphql request" and r["request_id"] != "-" for r in records)
