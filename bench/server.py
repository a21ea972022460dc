"""The gateway as a real server: ``propgraph serve`` in a subprocess, its
tokens, its /metrics counter and the peak memory of its worker processes."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO

import httpx


def propgraph_command() -> list[str]:
    """The ``propgraph`` script next to this Python, else ``python -m propgraph.cli``."""
    script = Path(sys.executable).with_name("propgraph")
    if script.exists():
        return [str(script)]
    found = shutil.which("propgraph")
    return [found] if found else [sys.executable, "-m", "propgraph.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_environment(database_url: str, limits: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env["PROPGRAPH_DATABASE_URL"] = database_url
    env["PROPGRAPH_JWT_SECRET"] = secrets.token_urlsafe(48)  # a fresh 64-character key per run
    # No background outbox polling: its statements would count as the requests'.
    env["PROPGRAPH_OUTBOX_INTERVAL_SECONDS"] = "0"
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)  # serve makes its own for several workers
    if limits:
        env["PROPGRAPH_LIMITS"] = limits
    else:
        env.pop("PROPGRAPH_LIMITS", None)
    return env


def token_for(username: str, env: Mapping[str, str]) -> str:
    """``propgraph token USERNAME``, signed with the server's key."""
    done = subprocess.run(
        [*propgraph_command(), "token", username, "--ttl", str(24 * 3600)],
        env=dict(env),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"propgraph token {username} failed: {done.stderr.strip()}")
    return done.stdout.strip().splitlines()[-1]


class Server:
    """``propgraph serve --port P --workers N`` until ``stop()``."""

    def __init__(self, env: Mapping[str, str], workers: int, log: IO[str], port: int | None = None):
        self.env = dict(env)
        self.workers = workers
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.process: subprocess.Popen[str] | None = None

    def start(self, timeout: float = 90.0) -> None:
        self.process = subprocess.Popen(
            [
                *propgraph_command(),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"propgraph serve exited with {self.process.returncode}; see {self.log.name}"
                )
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=1.0).status_code == 200:
                    if len(self.worker_pids()) >= self.workers:
                        return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"propgraph serve did not answer /healthz in {timeout:.0f} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # uvicorn shuts its workers down on SIGTERM
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)  # its own session: only the server's processes
            self.process.wait()

    def worker_pids(self) -> list[int]:
        """The processes answering requests: the server itself with one worker,
        else its children that are uvicorn workers (not multiprocessing's helpers)."""
        assert self.process is not None
        if self.workers == 1:
            return [self.process.pid]
        return [
            pid for pid in _children(self.process.pid) if "resource_tracker" not in _cmdline(pid)
        ]

    def cpu_seconds(self) -> float:
        """User and system CPU time of the workers so far."""
        total = 0.0
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def peak_rss_mib(self) -> dict[int, float]:
        """VmHWM (peak resident set) of every worker, MiB."""
        return {pid: _status_kib(pid, "VmHWM") / 1024 for pid in self.worker_pids()}


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid …; comm may hold spaces and parentheses
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.append(int(entry.name))
    return sorted(found)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _status_kib(pid: int, field: str) -> float:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def own_peak_rss_mib() -> float:
    return _status_kib(os.getpid(), "VmHWM") / 1024


def statements_counter(metrics_text: str) -> float:
    """The sum of ``propgraph_sql_statements_total`` over its samples."""
    total = 0.0
    for line in metrics_text.splitlines():
        if line.startswith("propgraph_sql_statements_total"):
            total += float(line.rsplit(" ", 1)[1])
    return total
