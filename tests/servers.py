"""Real servers that tests start on spare ports of this machine, shared as fixtures (a plugin
named in tests/conftest.py): a redis-server of the test's own (so stopping it never touches the
machine's Redis), this process publishing to it, Celery workers on it, and an HTTP receiver
that answers as each test scripts it."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.db import connection

from inclusie.celery import app

ROOT = Path(__file__).resolve().parent.parent


def _spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(check, *, timeout: float, what: str, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}.")


@pytest.fixture(scope="session")
def spare_port():
    """A free TCP port on 127.0.0.1, asked anew at each call."""
    return _spare_port


@pytest.fixture(scope="session")
def wait_for():
    """Call check() until it answers something true (returned) or time runs out (fails)."""
    return _wait_for


class OwnRedis:
    """A redis-server of the test's own, on a spare port, keeping nothing on disk."""

    def __init__(self, workdir: Path):
        self.port = _spare_port()
        self.workdir = workdir
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        client = redis.Redis(port=self.port, socket_timeout=1)

        def answers():
            try:
                return client.ping()
            except redis.RedisError:
                return False

        _wait_for(answers, timeout=10, what="redis-server to answer")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Worker:
    """`celery -A inclusie worker` in its own process, on the test database and our Redis,
    with `env` on top (settings of the test); `beat=True` runs beat inside it too."""

    def __init__(self, redis: OwnRedis, log: Path, *, beat: bool = False, **env):
        database = connection.settings_dict
        self.env = (
            os.environ
            | {
                "DATABASE_URL": (
                    f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
                    f"{database['NAME']}"
                ),
                "REDIS_URL": redis.url,
                "CELERY_TASK_ALWAYS_EAGER": "false",
                "LOG_LEVEL": "INFO",
            }
            | env
        )
        self.log = log
        self.beat = beat
        self.process = None

    def start(self):
        offset = self.log.stat().st_size if self.log.exists() else 0
        command = [
            *(sys.executable, "-m", "celery", "-A", "inclusie", "worker", "--pool=solo"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"),
        ]
        if self.beat:
            schedule = self.log.parent / "celerybeat-schedule"
            command += ["--beat", "--schedule", str(schedule)]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=self.log.open("a"), stderr=subprocess.STDOUT
        )

        def ready():
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            return "ready." in self.log.read_text()[offset:]

        _wait_for(ready, timeout=60, what="the Celery worker to be ready")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def redis_server(tmp_path, in_ci):
    if not shutil.which("redis-server"):
        if in_ci:
            pytest.fail("redis-server is required under CI=true")
        pytest.skip("redis-server is not installed")
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker(redis_server):
    """This process publishes to our Redis, for real (no eager tasks)."""
    before = dict(app.conf.broker_url and {"broker_url": app.conf.broker_url} or {})
    eager = app.conf.task_always_eager

    def reset():  # forget connections made to the other broker
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.update(broker_url=redis_server.url, task_always_eager=False)
    reset()
    yield redis_server
    app.conf.update(task_always_eager=eager, **before)
    reset()


@pytest.fixture
def start_worker(broker, tmp_path):
    """Start a Celery worker on the broker: start_worker(**env) (log in tmp_path/worker.log,
    beat=True for beat inside it). Each is stopped after the test."""
    started = []

    def start(*, log: Path | None = None, beat: bool = False, **env) -> Worker:
        worker = Worker(broker, log or tmp_path / "worker.log", beat=beat, **env)
        started.append(worker)
        worker.start()
        return worker

    yield start
    for worker in started:
        worker.stop()


# --- an HTTP receiver, as a partner's system ---------------------------------------------------


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Receiver:
    """What the server got, and what it answers next: `answers` is a list of (status, seconds
    to wait first, extra headers) taken one per request; when empty, 200 at once."""

    port: int
    received: list = field(default_factory=list)
    answers: list = field(default_factory=list)

    def url(self, path: str = "/gebeurtenissen") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def receiver():
    """A real HTTP server in a thread on a spare port of 127.0.0.1 (ThreadingHTTPServer, so a
    slow answer does not hold the next request)."""
    state = Receiver(port=0)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with lock:
                state.received.append(Received(self.path, dict(self.headers.items()), body))
                status, wait, extra = state.answers.pop(0) if state.answers else (200, 0, {})
            time.sleep(wait)
            try:
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                answer = b"ok" if status < 300 else f"status {status}".encode()
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
            except OSError:
                pass  # the sender stopped waiting

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
