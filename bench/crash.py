#!/usr/bin/env python3
"""kill -9 cycles: the release server under concurrent unit clients, killed at a random moment,
restarted, and checked. Every write the server acknowledged (HTTP 200 with the new version) must
be there after the restart, with its text, and every report must be in a state the workflow
allows. Prints the figures; exits 1 if anything was lost.

    python3 bench/crash.py DUBAN_BINARY DB_DIR [CYCLES]        (bench/crash.sh runs it)

With DATABASE_URL set the server runs on that PostgreSQL database instead of the SQLite file.
Only the standard library: urllib against the JSON API.
"""

import http.cookiejar
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

PASSWORD = "crash-test-password"
PERIOD = "2023-09"
STATES = {"draft", "approved", "submitted", "accepted", "returned"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One person logged in over the API."""

    def __init__(self, base, login):
        self.base, self.login = base, login
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.csrf = ""

    def call(self, method, path, body=None, timeout=10):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.csrf:
            request.add_header("X-CSRF-Token", self.csrf)
        with self.opener.open(request, timeout=timeout) as response:
            return json.loads(response.read() or b"null")

    def log_in(self):
        reply = self.call("POST", "/api/login", {"login": self.login, "password": PASSWORD})
        self.csrf = reply["csrf"]

    def my_tasks(self):
        return [t["task_id"] for t in self.call("GET", f"/api/my/tasks?period={PERIOD}")]


def start(binary, db_dir, port, env):
    args = [binary]
    if not env.get("DATABASE_URL"):
        args += ["--db", os.path.join(db_dir, "duban.db")]
    args += ["serve", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=1).read()
            return server
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.05)
    server.kill()
    sys.exit("crash: the server did not start within 30 s")


def main():
    binary, db_dir = sys.argv[1], sys.argv[2]
    cycles = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    env = {**os.environ, "DUBAN_DEMO_PASSWORD": PASSWORD}
    rng = random.Random(20261201)

    # Seed the demo data once (the demo server, stopped as soon as it answers).
    port = free_port()
    seed_args = [binary] + ([] if env.get("DATABASE_URL") else ["--db", os.path.join(db_dir, "duban.db")])
    seeder = subprocess.Popen(seed_args + ["demo", "--bind", f"127.0.0.1:{port}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=1).read()
            break
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.1)
    seeder.send_signal(signal.SIGTERM)
    seeder.wait(timeout=30)

    # acked[(login, task)] = (version, body): the last write the server acknowledged.
    acked = {}
    lock = threading.Lock()
    totals = {"acknowledged": 0, "failed_requests": 0, "server_errors": 0, "lost": 0, "wrong_text": 0,
              "bad_state": 0}
    restart_times = []

    def worker(base, login, stop):
        client = Client(base, login)
        try:
            client.log_in()
            tasks = client.my_tasks()
        except Exception:
            return
        while not stop.is_set():
            task = rng.choice(tasks)
            with lock:
                version = acked.get((login, task), (None, None))[0]
            body = f"{login} 第{rng.randrange(10**9)}稿"
            try:
                reply = client.call("POST", f"/api/tasks/{task}/reports",
                                    {"action": "save", "period": PERIOD, "version": version, "body": body})
            except urllib.error.HTTPError as e:
                with lock:
                    totals["failed_requests"] += 1
                    # A 5xx from a live server is a defect (a kill cuts connections instead).
                    if e.code >= 500:
                        totals["server_errors"] += 1
                if e.code == 409:
                    # Someone (a write acknowledged to nobody before a kill) moved the version.
                    try:
                        detail = client.call("GET", f"/api/tasks/{task}")
                        own = [r for r in detail["reports"] if r["period"] == PERIOD and r["updated_by"] == login]
                        if own:
                            with lock:
                                acked[(login, task)] = (own[0]["version"], own[0]["body"])
                    except Exception:
                        pass
                continue
            except Exception:
                with lock:
                    totals["failed_requests"] += 1
                return
            with lock:
                acked[(login, task)] = (reply["version"], reply["body"])
                totals["acknowledged"] += 1

    def check(base, states_too):
        """Every acknowledged write is there, with its text; every report in a valid state."""
        checkers = {}
        for (login, task), (version, body) in sorted(acked.items()):
            client = checkers.get(login)
            if client is None:
                client = checkers[login] = Client(base, login)
                client.log_in()
            detail = client.call("GET", f"/api/tasks/{task}")
            own = [r for r in detail["reports"] if r["period"] == PERIOD and r["updated_by"] == login]
            if not own or own[0]["version"] < version:
                totals["lost"] += 1
            elif own[0]["version"] == version and own[0]["body"] != body:
                totals["wrong_text"] += 1
            if states_too:
                for r in detail["reports"]:
                    if r["state"] not in STATES or r["version"] < 1:
                        totals["bad_state"] += 1
        for client in checkers.values():
            try:
                client.call("POST", "/api/logout", {})
            except Exception:
                pass

    for _ in range(cycles):
        port = free_port()
        began = time.time()
        server = start(binary, db_dir, port, env)
        restart_times.append(time.time() - began)
        base = f"http://127.0.0.1:{port}"
        # Check what the previous cycle acknowledged.
        check(base, True)
        # Load, then the kill at a random moment.
        stop = threading.Event()
        threads = [threading.Thread(target=worker, args=(base, login, stop))
                   for login in ["tianbao", "tianbao2", "tianbao", "tianbao2"]]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.3, 1.5))
        server.send_signal(signal.SIGKILL)
        server.wait()
        stop.set()
        for t in threads:
            t.join(timeout=15)

    # A last start to check the last cycle.
    port = free_port()
    server = start(binary, db_dir, port, env)
    base = f"http://127.0.0.1:{port}"
    check(base, True)
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)

    restart_times.sort()
    backend = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    print(f"{'backend':<12}{'cycles':>8}{'acknowledged':>14}{'lost':>6}{'wrong text':>12}{'bad state':>11}"
          f"{'5xx':>6}{'refused/cut':>13}{'restart p50':>13}")
    print(f"{backend:<12}{cycles:>8}{totals['acknowledged']:>14}{totals['lost']:>6}{totals['wrong_text']:>12}"
          f"{totals['bad_state']:>11}{totals['server_errors']:>6}{totals['failed_requests']:>13}"
          f"{restart_times[len(restart_times) // 2]:>12.2f}s")
    if totals["lost"] or totals["wrong_text"] or totals["bad_state"] or totals["server_errors"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
