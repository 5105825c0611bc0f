"""gunicorn settings for Newsroom: `gunicorn -c gunicorn.conf.py newsroom.wsgi`.

Every value can be overridden from the environment (GUNICORN_*), or on the command line.
Sync workers: pages are short, database-bound and cached; run behind nginx (README), which
buffers slow clients so a sync worker is never held by one.
"""

import multiprocessing
import os


def _int(name, default):
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# The usual rule: two per core plus one, capped so a big host does not exhaust database
# connections (each worker keeps one with CONN_MAX_AGE).
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 12))
worker_class = "sync"
# A worker stuck for this long is killed and replaced; a reader page takes milliseconds.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then (with jitter so they do not all restart at once): bounds
# memory growth from any leak in a dependency.
max_requests = _int("GUNICORN_MAX_REQUESTS", 10000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 1000)
# Load the app before forking: workers share its memory pages and start instantly.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
# Request line, status, size, referrer, user agent and the time taken in microseconds.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)sus'
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Behind a proxy on the same host: trust its X-Forwarded-* headers (set in nginx, README).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Refuse absurd request lines and headers early.
limit_request_line = 8190
limit_request_fields = 100
