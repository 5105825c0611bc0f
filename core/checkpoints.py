"""SQLite's WAL checkpoints, run beside the requests instead of inside them.

In WAL mode SQLite copies the log back into the database file (a checkpoint: writes and an
fsync of both files) in whichever connection's commit takes the log past 1,000 pages. Under
load that is one counted view in a few hundred, which then waits for the copy and its fsync
(docs/decisions.md, "SQLite checkpoints"). So each app connection
raises that threshold to a backstop of CHECKPOINT_BACKSTOP_PAGES, and each process runs a
daemon thread with its own connection that checkpoints every
NEWSROOM_SQLITE_CHECKPOINT_SECONDS. The checkpoint is PASSIVE: it never
waits for, nor blocks, readers or writers, and the thread holds no GIL while SQLite writes,
so requests go on meanwhile. Should the thread fall behind, the backstop bounds the log.

A process forked after its parent connected (gunicorn's preload) starts its own thread on its
first connection. In-memory databases (the tests') have no log; 0 seconds keeps SQLite's own.
"""

import atexit
import logging
import os
import sqlite3
import threading
import time

from django.conf import settings
from django.db.backends.signals import connection_created

logger = logging.getLogger(__name__)

# 10,000 pages of 4 kB: a 40 MB log at most, where SQLite's default checkpoints at 4 MB.
CHECKPOINT_BACKSTOP_PAGES = 10_000
LOG_EVERY_SECONDS = 60

_lock = threading.Lock()
_checkpointers = {}  # database path -> the Checkpointer running in this process
# Held by a checkpointer while it is inside SQLite, and by a fork: a child must not inherit
# SQLite's mutexes locked by a thread that does not come along.
_in_sqlite = threading.Lock()
_inherited = []  # a parent's checkpointers, in a child: kept, never closed (_after_fork_in_child)


class Checkpointer(threading.Thread):
    """Checkpoints one database file every `seconds`, in the process that started it."""

    def __init__(self, path, seconds):
        super().__init__(name=f"sqlite-checkpoint {path}", daemon=True)
        self.path, self.seconds = path, seconds
        self.pid = os.getpid()
        self.stopped = threading.Event()
        self.runs = 0  # checkpoints attempted, for tests and a debugger
        self._db = None
        self._logged_at = 0.0

    def run(self):
        while not self.stopped.wait(self.seconds):
            self.checkpoint()
        with _in_sqlite:
            self._close()

    def checkpoint(self):
        """One PASSIVE checkpoint; returns SQLite's (busy, log pages, checkpointed pages),
        or None when the database could not be opened or read."""
        try:
            _in_sqlite.acquire()
            if self.stopped.is_set():
                return None
            if self._db is None:
                # mode=rw: a database removed under us is not silently recreated empty.
                # Used by this thread, but closed by the main one at exit (stop_all).
                self._db = sqlite3.connect(
                    _uri(self.path),
                    uri=True,
                    timeout=0,
                    isolation_level=None,
                    check_same_thread=False,
                )
            row = self._db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()[0]
        except sqlite3.Error as exc:
            self._close()
            now = time.monotonic()
            if now - self._logged_at >= LOG_EVERY_SECONDS:
                self._logged_at = now
                logger.warning("WAL checkpoint of %s failed: %s", self.path, exc)
            return None
        finally:
            _in_sqlite.release()
            self.runs += 1
        return tuple(row)

    def stop(self):
        self.stopped.set()

    def _close(self):
        if self._db is not None:
            self._db.close()
            self._db = None


def _uri(path):
    path = str(path)
    if path.startswith("file:"):
        return path
    return f"file:{path}?mode=rw"


def checkpointer_for(path, seconds):
    """This process's checkpointer of `path`, started if there is none (or only the parent's,
    inherited through a fork: its thread did not come along)."""
    with _lock:
        running = _checkpointers.get(path)
        if running is None or running.pid != os.getpid() or not running.is_alive():
            running = Checkpointer(path, seconds)
            running.start()
            _checkpointers[path] = running
        return running


def _after_fork_in_child():
    """A child has none of its parent's threads. Their connections are left open: closing a
    SQLite connection inherited through a fork can undo the parent's locks on the file."""
    global _in_sqlite, _lock
    _in_sqlite, _lock = threading.Lock(), threading.Lock()
    _inherited.extend(_checkpointers.values())
    _checkpointers.clear()


os.register_at_fork(
    before=lambda: _in_sqlite.acquire(),
    after_in_parent=lambda: _in_sqlite.release(),
    after_in_child=_after_fork_in_child,
)


def stop_all():
    """Stop this process's checkpointers and close their connections (tests, and at exit)."""
    with _lock:
        running = list(_checkpointers.values())
        _checkpointers.clear()
    for checkpointer in running:
        checkpointer.stop()
    with _in_sqlite:  # waits for a checkpoint in progress
        for checkpointer in running:
            checkpointer._close()


# At exit, the app's last connection to close checkpoints the log and removes it, unless a
# checkpointer still has the file open or is copying: a command that wrote a lot (migrate,
# generate_articles) would leave its whole log on disk.
atexit.register(stop_all)


def take_over_checkpoints(sender, connection, **kwargs):
    """On a new SQLite connection to a file: raise its checkpoint threshold to the backstop
    and make sure this process's checkpointer of that file runs."""
    seconds = settings.NEWSROOM_SQLITE_CHECKPOINT_SECONDS
    if connection.vendor != "sqlite" or not seconds or connection.is_in_memory_db():
        return
    connection.connection.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_BACKSTOP_PAGES}")
    checkpointer_for(str(connection.settings_dict["NAME"]), seconds)


def connect():
    """Take over checkpoints on each new SQLite connection (called from CoreConfig.ready)."""
    connection_created.connect(take_over_checkpoints, dispatch_uid="core-checkpoints")
