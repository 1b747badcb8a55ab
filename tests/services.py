"""Throwaway servers for the test suite: PostgreSQL, Redis, an SMTP peer and a Celery worker.

Each is started by a session fixture in ``tests/conftest.py`` on a private port and stopped at the end. A
missing program is an error with the command that installs it, never a skipped test.
"""

import asyncio
import email
import email.policy
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
INSTALL_HINT = (
    "Run `make test` (it installs them) or: apt-get install -y postgresql redis-server chromium dovecot-imapd"
)


class ServiceError(RuntimeError):
    pass


FAST_LANE = False  # set by tests/conftest.py when every selected test is pure: then no server may start


def refuse_in_fast_lane(name):
    if FAST_LANE:
        raise ServiceError(f"the fast lane (tests marked pure) starts no server, but a test asked for {name}")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, timeout=20.0, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise ServiceError(f"process exited with {process.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise ServiceError(f"nothing listens on port {port} after {timeout}s")


def find_program(name, *patterns):
    found = shutil.which(name)
    if found:
        return found
    for pattern in patterns:
        matches = sorted(glob.glob(pattern))
        if matches:
            return matches[-1]
    raise ServiceError(f"{name} is not installed. {INSTALL_HINT}")


class PostgreSQL:
    """A private cluster: initdb into a temporary directory, started with pg_ctl. PostgreSQL refuses to run
    as root, so as root the cluster belongs to the ``postgres`` user and runs through runuser."""

    def __init__(self):
        self.initdb = find_program("initdb", "/usr/lib/postgresql/*/bin/initdb")
        self.pg_ctl = str(Path(self.initdb).with_name("pg_ctl"))
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        self.dir = Path(tempfile.mkdtemp(prefix="cp-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"

    def _run(self, *args):
        command = list(args)
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if result.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise ServiceError(f"{' '.join(args[:2])} failed: {result.stderr}{result.stdout}{log}")

    def start(self):
        refuse_in_fast_lane(type(self).__name__)
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(self.initdb, "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(self.pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "start")
        return self

    def stop(self):
        try:
            self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def settings(self):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "consular_portal",
            "USER": "postgres",
            "PASSWORD": "",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
        }

    def create_database(self, name):
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


class Redis:
    """redis-server without persistence; can be stopped and started again on the same port."""

    def __init__(self):
        self.binary = find_program("redis-server")
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        refuse_in_fast_lane(type(self).__name__)
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, process=self.process)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


class RecordingHandler:
    def __init__(self):
        self.raw = []
        self._parsed = []
        self.arrived = []  # for each message, when it was accepted (time.monotonic())
        self.peers = []  # for each message, the (address, port) of the connection it came over
        self.condition = threading.Condition()
        self.rcpt_delay = 0.0  # seconds to wait before accepting a recipient: a slow server
        self.hang_up_after_data = False  # close each connection just after accepting a message

    @property
    def messages(self):
        """The messages received so far, parsed (call with the condition held)."""
        for raw in self.raw[len(self._parsed):]:
            self._parsed.append(email.message_from_bytes(raw, policy=email.policy.default))
        return self._parsed

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's hook
        if self.rcpt_delay:
            await asyncio.sleep(self.rcpt_delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.condition:
            self.raw.append(envelope.content)  # parsed when a test reads it, not on the server's loop
            self.arrived.append(time.monotonic())
            self.peers.append(session.peer)
            self.condition.notify_all()
        if self.hang_up_after_data:
            asyncio.get_running_loop().call_later(0.01, server.transport.close)
        return "250 Message accepted for delivery"


class SMTPPeer:
    """An SMTP server (aiosmtpd) that records every message it accepts."""

    def __init__(self):
        self.handler = RecordingHandler()
        self.port = free_port()
        self.controller = None

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self):
        with self.handler.condition:
            return list(self.handler.messages)

    @property
    def connections(self):
        """How many SMTP connections the messages received so far came over."""
        with self.handler.condition:
            return len(set(self.handler.peers))

    def clear(self):
        with self.handler.condition:
            self.handler.raw.clear()
            self.handler.arrived.clear()
            self.handler.messages.clear()
            self.handler.peers.clear()
        self.handler.rcpt_delay = 0.0
        self.handler.hang_up_after_data = False

    def hang_up_after_each_message(self, on=True):
        self.handler.hang_up_after_data = on

    def slow_down(self, seconds):
        self.handler.rcpt_delay = seconds

    def wait_for(self, count=1, timeout=30.0, to=None):
        """Wait until ``count`` messages (to ``to``, if given) arrived; return them."""

        def matching():
            return [m for m in self.handler.messages if to is None or to in str(m["To"])]

        def arrived():  # without a recipient to match, counting needs no parsing
            return len(self.handler.raw) >= count if to is None else len(matching()) >= count

        with self.handler.condition:
            if not self.handler.condition.wait_for(arrived, timeout=timeout):
                raise AssertionError(f"expected {count} message(s) to {to or 'anyone'}, got {len(matching())}")
            return matching()

    def start(self):
        refuse_in_fast_lane(type(self).__name__)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class Dovecot:
    """A private IMAP server (Dovecot) with one user and a Maildir in a temporary directory, plain IMAP on a
    free port. Dovecot starts as root and drops to its own users; as another user it runs as that user."""

    USER, PASSWORD = "status", "status-password"

    def __init__(self):
        self.binary = find_program("dovecot", "/usr/sbin/dovecot")
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="cp-dovecot-"))
        self.config = self.dir / "dovecot.conf"
        self.process = None

    @property
    def url(self):
        return f"imap://{self.USER}:{self.PASSWORD}@127.0.0.1:{self.port}/INBOX"

    def start(self):
        refuse_in_fast_lane(type(self).__name__)
        import pwd

        owner = pwd.getpwuid(os.geteuid()).pw_name
        self.dir.chmod(0o755)  # Dovecot's auth process (its own user) reads the password file
        (self.dir / "users").write_text(f"{self.USER}:{{PLAIN}}{self.PASSWORD}\n")
        mail = self.dir / "mail"
        mail.mkdir()
        as_root = os.geteuid() == 0
        if as_root:
            shutil.chown(mail, "dovenull", "dovenull")
        mail_user = "dovenull" if as_root else owner
        self.config.write_text(f"""
base_dir = {self.dir}/run
state_dir = {self.dir}/state
log_path = {self.dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
{"" if as_root else f"default_login_user = {owner}{chr(10)}default_internal_user = {owner}"}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {self.dir}/users
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_user} home={mail}/%u
}}
mail_location = maildir:{mail}/%u/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
""")
        self.process = subprocess.Popen(
            [self.binary, "-F", "-c", str(self.config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            wait_for_port(self.port, process=self.process)
        except ServiceError as exc:
            log = (self.dir / "dovecot.log").read_text() if (self.dir / "dovecot.log").exists() else ""
            raise ServiceError(f"{exc}: {self.process.stderr.read().decode(errors='replace')}{log}") from exc
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None
        shutil.rmtree(self.dir, ignore_errors=True)


class CeleryWorker:
    """A real ``celery worker`` process on the test database, broker and SMTP peer."""

    def __init__(self, env, concurrency=2, name="test-worker", queues="default,mail", beat=False):
        self.env = env
        self.process = None
        self.concurrency, self.queues, self.beat = concurrency, queues, beat
        self.name = f"{name}@localhost"
        self.log = Path(tempfile.mkstemp(prefix="cp-worker-", suffix=".log")[1])

    def start(self, app):
        refuse_in_fast_lane(type(self).__name__)
        command = [
            sys.executable, "-m", "celery", "-A", "consular_portal", "worker", "-Q", self.queues,
            "-c", str(self.concurrency), "--without-gossip", "--without-mingle", "--without-heartbeat",
            "-n", self.name, "--loglevel", "INFO",
        ]
        if self.beat:  # the periodic tasks (the outbox sweep) in this worker, schedule kept beside its log
            command += ["--beat", "--schedule", str(self.log.with_suffix(".schedule"))]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.wait_ready(app)
        return self

    def wait_ready(self, app, timeout=60.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServiceError(f"celery worker exited:\n{self.log.read_text()[-4000:]}")
            if app.control.ping(destination=[self.name], timeout=0.5):
                return
        raise ServiceError(f"celery worker not ready after {timeout}s:\n{self.log.read_text()[-4000:]}")

    def pool_processes(self):
        """The pids of the worker's pool processes (the prefork children doing the work)."""
        result = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False)
        return [int(pid) for pid in result.stdout.split()]

    def output(self):
        return self.log.read_text(errors="replace")

    def log_position(self):
        """Where the worker's log ends now: pass it as ``since`` to look only at the tasks that run after."""
        return self.log.stat().st_size

    def finished(self, name, since=0):
        """The results (as the worker logs them: ``'sent'``, ``None``) of the tasks ``name`` that finished
        since ``since``, in order."""
        with self.log.open("rb") as log:
            log.seek(since)
            text = log.read().decode(errors="replace")
        pattern = re.compile(rf"Task {re.escape(name)}\[[\w-]+\] succeeded in [\d.e-]+s: (.*)$", re.MULTILINE)
        return pattern.findall(text)

    def wait_finished(self, name, count, since=0, timeout=30.0):
        """Wait until ``count`` tasks ``name`` finished since ``since``; return their results."""
        deadline = time.monotonic() + timeout
        while True:
            results = self.finished(name, since)
            if len(results) >= count:
                return results
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(results)} of {count} {name} tasks finished after {timeout}s:\n"
                                     f"{self.output()[-3000:]}")
            time.sleep(0.05)

    def kill(self):
        """SIGKILL the worker and its pool at once: what a crash or an OOM kill does (nothing is acked)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self):
        stop_process_group(self.process)
        self.process = None


def stop_process_group(process):
    """SIGTERM a process started in its own session and its children; SIGKILL them after 20 s."""
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


class WebServer:
    """gunicorn serving the portal (sync workers, its production configuration file) on a free port, with
    ``env`` pointing it at the test database, Redis and SMTP peer."""

    def __init__(self, env, workers=1):
        self.env = {**env, "WEB_CONCURRENCY": str(workers)}
        self.port = free_port()
        self.process = None
        self.log = Path(tempfile.mkstemp(prefix="cp-web-", suffix=".log")[1])

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        refuse_in_fast_lane(type(self).__name__)
        command = [sys.executable, "-m", "gunicorn", "-c", "consular_portal/gunicorn.conf.py",
                   "--bind", f"127.0.0.1:{self.port}", "consular_portal.wsgi"]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        try:
            wait_for_port(self.port, timeout=60, process=self.process)
        except ServiceError as exc:
            raise ServiceError(f"{exc}:\n{self.output()[-4000:]}") from exc
        return self

    def output(self):
        return self.log.read_text(errors="replace")

    def stop(self):
        stop_process_group(self.process)
        self.process = None


def chromium_path():
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise ServiceError(f"chromium is not installed. {INSTALL_HINT}")
    return path


CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage",
]
