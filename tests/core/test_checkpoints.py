"""SQLite's WAL checkpoints run in a thread of each process, not in a request's commit."""

import logging
import os
import sqlite3
import time

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler

from core import checkpoints


@pytest.fixture
def file_db(tmp_path, django_db_blocker, settings):
    """A Django connection to a SQLite file in WAL mode, as the app's settings make it."""
    settings.NEWSROOM_SQLITE_CHECKPOINT_SECONDS = 0.05
    path = tmp_path / "site.sqlite3"
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(path),
                "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
            }
        }
    )
    conn = handler["default"]
    with django_db_blocker.unblock():
        yield conn, path
        conn.close()
    checkpoints.stop_all()


def _fill_log(conn, rows=300):
    with conn.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body TEXT)")
        for _ in range(rows):
            cursor.execute("INSERT INTO t (body) VALUES (%s)", ["x" * 2000])


def _pragma(conn, name):
    with conn.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


def test_a_new_connection_leaves_checkpoints_to_this_process_thread(file_db):
    conn, path = file_db
    conn.ensure_connection()
    assert _pragma(conn, "wal_autocheckpoint") == checkpoints.CHECKPOINT_BACKSTOP_PAGES
    running = checkpoints.checkpointer_for(str(path), 0.05)
    assert running.is_alive() and running.daemon


def test_the_thread_checkpoints_what_requests_wrote(file_db):
    conn, path = file_db
    _fill_log(conn)  # 300 rows of 2 kB: about 600 kB in the log, under SQLite's own threshold
    running = checkpoints.checkpointer_for(str(path), 0.05)
    deadline = time.monotonic() + 10
    while (path.stat().st_size < 600_000 or not running.runs) and time.monotonic() < deadline:
        time.sleep(0.02)
    # The rows were copied from the log into the database file, by the thread: no commit
    # crossed a threshold.
    assert path.stat().st_size >= 600_000
    assert running.runs > 0
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT count(*) FROM t").fetchone()[0] == 300


def test_without_the_thread_the_log_waits_for_sqlite(file_db, settings):
    """The control of the test above: with the setting at 0, SQLite's own threshold stays
    and no thread is started, so the same rows stay in the log."""
    settings.NEWSROOM_SQLITE_CHECKPOINT_SECONDS = 0
    conn, path = file_db
    _fill_log(conn)
    assert _pragma(conn, "wal_autocheckpoint") == 1000
    assert str(path) not in checkpoints._checkpointers
    time.sleep(0.3)
    assert path.stat().st_size < 100_000
    assert path.with_name(path.name + "-wal").stat().st_size >= 600_000


def test_a_forked_process_starts_its_own_thread(file_db, monkeypatch):
    conn, path = file_db
    conn.ensure_connection()
    parent = checkpoints.checkpointer_for(str(path), 0.05)
    assert checkpoints.checkpointer_for(str(path), 0.05) is parent
    monkeypatch.setattr(checkpoints.os, "getpid", lambda: parent.pid + 1)
    child = checkpoints.checkpointer_for(str(path), 0.05)
    assert child is not parent and child.is_alive() and child.pid == parent.pid + 1


def test_a_removed_database_is_not_recreated_and_is_logged_once(tmp_path, caplog):
    path = tmp_path / "gone.sqlite3"
    running = checkpoints.Checkpointer(str(path), 60)
    with caplog.at_level(logging.WARNING, logger="core.checkpoints"):
        assert running.checkpoint() is None
        assert running.checkpoint() is None
    assert not path.exists()
    assert len([r for r in caplog.records if "WAL checkpoint" in r.message]) == 1


@pytest.mark.django_db
def test_the_tests_in_memory_database_has_no_checkpointer():
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        assert connection.is_in_memory_db()
    assert not any(
        name == str(connection.settings_dict["NAME"]) for name in checkpoints._checkpointers
    )


def test_a_fork_waits_for_a_checkpoint_and_the_child_keeps_the_parents_connection(file_db):
    """Forking mid-checkpoint would hand the child SQLite's mutexes locked by a thread it does
    not have; closing an inherited connection could drop the parent's locks."""
    conn, path = file_db
    conn.ensure_connection()
    parent = checkpoints.checkpointer_for(str(path), 0.05)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report what it sees, then leave without cleaning up
        try:
            child = checkpoints.checkpointer_for(str(path), 0.05)
            ok = child is not parent and parent in checkpoints._inherited and child.is_alive()
            os.write(write, b"ok" if ok else b"no")
        finally:
            os._exit(0)
    os.close(write)
    assert os.read(read, 2) == b"ok"
    os.waitpid(pid, 0)
    assert checkpoints.checkpointer_for(str(path), 0.05) is parent


def test_at_exit_the_log_is_left_for_the_last_connection_to_remove(file_db):
    """stop_all runs at exit: with the checkpointer's connection closed, the app's last
    connection checkpoints and deletes the log, as SQLite does without us."""
    conn, path = file_db
    _fill_log(conn)
    running = checkpoints.checkpointer_for(str(path), 0.05)
    checkpoints.stop_all()
    assert running._db is None
    running.join(5)
    assert not running.is_alive()
    conn.close()
    assert not path.with_name(path.name + "-wal").exists()
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT count(*) FROM t").fetchone()[0] == 300
