"""A private `redis-server` (Debian's) on a free loopback port in a temp folder, and a tiny RESP
client for the tests' own look-ups. Never the system service."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from support.gateway import free_port
from support.logfile import LogFile

STARTUP_SECONDS = 10.0


class RedisUnavailable(Exception):
    """redis-server could not be started; the message says why."""


def redis_binary() -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        raise RedisUnavailable("redis-server not found: run scripts/setup (Debian package redis-server)")
    return binary


class RedisServer(LogFile):
    """One redis-server process. `persistent`: every write goes to an append-only file (fsynced
    at once) that a restart on the same folder reads back; otherwise nothing is ever saved."""

    def __init__(self, folder: Path, persistent: bool = True, password: str | None = None) -> None:
        self.folder = folder
        self.persistent = persistent
        self.password = password
        self.port = free_port()
        self.generation = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = folder / "redis.log"
        folder.mkdir(parents=True, exist_ok=True)

    @property
    def data_dir(self) -> Path:
        return self.folder / f"data-{self.generation}"

    @property
    def url(self) -> str:
        """redis://[:password@]127.0.0.1:<port>, what the nodes get as GATEWAY_REDIS_URL."""
        credentials = f":{self.password}@" if self.password else ""
        return f"redis://{credentials}127.0.0.1:{self.port}"

    def config(self) -> str:
        lines = [
            f"port {self.port}",
            "bind 127.0.0.1",
            "protected-mode no",
            f'dir "{self.data_dir}"',
            "daemonize no",
            'save ""',
        ]
        if self.persistent:
            lines += ["appendonly yes", "appendfsync always"]
        else:
            lines += ["appendonly no"]
        if self.password:
            lines.append(f"requirepass {self.password}")
        return "\n".join(lines) + "\n"

    def start(self) -> "RedisServer":
        """Starts on `self.port` in the current data folder and waits until it answers PING."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        config_path = self.folder / "redis.conf"
        config_path.write_text(self.config())
        log = open(self.log_path, "ab")
        log.write(f"--- redis-server on port {self.port}, data in {self.data_dir}\n".encode())
        log.flush()
        self.process = subprocess.Popen(
            [redis_binary(), str(config_path)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if self.command("PING") == "PONG":
                    return self
            except OSError:
                pass
            time.sleep(0.02)
        self.kill()
        raise RedisUnavailable(f"redis-server on port {self.port} never answered PING:\n{self.log_text()[-3000:]}")

    def stop(self) -> None:
        """SIGTERM (an append-only file is complete: every write was fsynced) and waits."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)

    def restart(self, keep_data: bool) -> None:
        """Stops, then starts on the same port: in the same folder (its data back, when
        persistent) or in a fresh one (everything gone, as a replaced instance)."""
        self.stop()
        if not keep_data:
            self.discard_data()
        self.start()

    def discard_data(self) -> None:
        """The next start uses a fresh, empty folder (call while stopped)."""
        assert not self.running(), "stop Redis before discarding its data"
        self.generation += 1

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def command(self, *arguments: str, timeout: float = 2.0) -> object:
        """One command on a fresh connection (AUTH first when there is a password); the reply
        as str / int / None / list. An error reply raises RuntimeError."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as connection:
            reader = connection.makefile("rb")
            if self.password:
                connection.sendall(encode_command("AUTH", self.password))
                read_reply(reader)
            connection.sendall(encode_command(*arguments))
            return read_reply(reader)

    def keys(self, pattern: str) -> list[str]:
        """Every key matching `pattern` (SCAN, so never a blocking KEYS)."""
        found: list[str] = []
        cursor = "0"
        while True:
            reply = self.command("SCAN", cursor, "MATCH", pattern, "COUNT", "1000")
            assert isinstance(reply, list)
            cursor, batch = reply[0], reply[1]
            found += batch
            if cursor == "0":
                return found


def encode_command(*arguments: str) -> bytes:
    parts = [f"*{len(arguments)}\r\n".encode()]
    for argument in arguments:
        data = argument.encode()
        parts.append(f"${len(data)}\r\n".encode() + data + b"\r\n")
    return b"".join(parts)


def read_reply(reader) -> object:  # noqa: ANN001 - a binary file object of a socket
    line = reader.readline()
    if not line:
        raise ConnectionError("redis closed the connection")
    kind, rest = line[:1], line[1:-2].decode()
    if kind == b"+":
        return rest
    if kind == b"-":
        raise RuntimeError(rest)
    if kind == b":":
        return int(rest)
    if kind == b"$":
        length = int(rest)
        if length < 0:
            return None
        data = reader.read(length + 2)[:-2]
        return data.decode("utf-8", "replace")
    if kind == b"*":
        count = int(rest)
        return None if count < 0 else [read_reply(reader) for _ in range(count)]
    raise RuntimeError(f"unexpected RESP reply {line!r}")
