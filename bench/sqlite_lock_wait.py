"""How long do writes wait for SQLite's one write lock when many people press a button at once?

The embedded default serialises every request that writes (BEGIN IMMEDIATE for the whole request), so the last of
N people who appreciate a thank-you in the same second waits for the N-1 before them. This measures that wait
through the real app, over HTTP, on a threaded server (as `make run` serves), with and without the CPU kept busy
(stress-ng), so SQLITE_BUSY_TIMEOUT_MS can be chosen from numbers rather than guessed.

    .venv/bin/python -m bench.sqlite_lock_wait --people 50 --rounds 3 [--stress]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from werkzeug.serving import make_server

from portal import create_app
from portal.extensions import db

ARGON2_FAST = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


def build(database: Path, people: int):
    from flask_migrate import upgrade

    from portal.auth.models import User
    from portal.org.services import create_unit
    from portal.recognition.models import Post, PostRecipient

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False, "ARGON2_PARAMS": ARGON2_FAST, "SQLITE_BUSY_TIMEOUT_MS": 120_000})
    with app.app_context():
        upgrade()
        unit = create_unit(name="Bench team", parent=None)
        users = []
        for n in range(people + 1):
            user = User(email=f"bench{n}@example.nhs.uk", display_name=f"Bench {n}", unit_id=unit.id,
                        password_hash="x")
            user.set_roles(["staff"])
            db.session.add(user)
            users.append(user)
        db.session.flush()
        post = Post(author_id=users[0].id, what_they_did="Stayed on the line until help came")
        post.recipients = [PostRecipient(user_id=users[1].id, unit_id=unit.id)]
        db.session.add(post)
        db.session.commit()
        return app, post.id, [u.get_id() for u in users[1:]]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def one_round(base: str, app, post_id: int, session_ids: list[str]) -> list[float]:
    """Everyone presses Appreciate at once; returns each request's time in seconds."""
    from flask.sessions import SecureCookieSessionInterface

    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    start = threading.Barrier(len(session_ids))
    times: list[float] = []

    def press(session_id: str) -> None:
        opener = urllib.request.build_opener(NoRedirect)
        cookie = serializer.dumps({"_user_id": session_id, "_fresh": True})
        request = urllib.request.Request(f"{base}/thanks/{post_id}/appreciate", data=b"", method="POST",
                                         headers={"Cookie": f"session={cookie}"})
        start.wait()
        began = time.perf_counter()
        try:
            with opener.open(request, timeout=300) as response:
                status = response.status
        except urllib.error.HTTPError as answer:  # the 303 after the POST, not followed
            status = answer.code
        assert status in (200, 303), status
        times.append(time.perf_counter() - began)

    threads = [threading.Thread(target=press, args=(sid,)) for sid in session_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--stress", action="store_true", help="keep both cores busy with stress-ng meanwhile")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    stress = subprocess.Popen(["stress-ng", "--cpu", "2", "--quiet"]) if args.stress else None
    try:
        worst = []
        for _ in range(args.rounds):
            with tempfile.TemporaryDirectory() as tmp:
                app, post_id, session_ids = build(Path(tmp) / "bench.db", args.people)
                server = make_server("127.0.0.1", 0, app, threaded=True)
                threading.Thread(target=server.serve_forever, daemon=True).start()
                times = one_round(f"http://127.0.0.1:{server.server_port}", app, post_id, session_ids)
                server.shutdown()
                worst.append(max(times))
                print(f"{args.people} at once: median {statistics.median(times):.2f} s, "
                      f"slowest {max(times):.2f} s")
        print(f"slowest of all rounds ({'CPU busy' if args.stress else 'quiet'}): {max(worst):.2f} s")
    finally:
        if stress is not None:
            stress.terminate()
            stress.wait()


if __name__ == "__main__":
    main()
