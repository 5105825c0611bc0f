"""What counts as one view, through the real article page: one test per rule."""

import logging
import re
import sqlite3
import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.core.management import call_command
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date

from articles.models import Article
from core import pagecache
from readership import counts, visits
from readership.models import DailyStat

BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)
BOTS = {
    "search crawler": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "AI crawler": "Mozilla/5.0 (compatible; GPTBot/1.0; +https://openai.com/gptbot)",
    "link preview": "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "chat preview": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "monitor": "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
    "HTTP library": "python-requests/2.31.0",
    "command line": "curl/8.5.0",
    "headless browser": (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/120.0.0.0 Safari/537.36"
    ),
}


def shown_views(response):
    """The "Views: N" figure as the reader sees it on the page."""
    match = re.search(rb"<span data-views>(\d+)</span>", response.content)
    assert match, "no views figure on the page"
    return int(match.group(1))


@pytest.fixture
def reader():
    """A browser that keeps cookies."""
    return Client(HTTP_USER_AGENT=BROWSER)


def views(article):
    article.refresh_from_db()
    return article.views


def daily_views(article):
    return sum(DailyStat.objects.filter(article=article).values_list("views", flat=True))


def test_a_browser_get_counts_and_shows_the_new_total(reader, article):
    response = reader.get(article.get_absolute_url())
    assert response.status_code == 200
    assert shown_views(response) == 1
    assert b"<span data-views>1</span>" in response.content
    assert views(article) == 1
    assert DailyStat.objects.get(article=article, day=timezone.localdate()).views == 1


def test_empty_user_agent_is_not_counted(article):
    for client in (Client(), Client(HTTP_USER_AGENT=""), Client(HTTP_USER_AGENT="   ")):
        assert client.get(article.get_absolute_url()).status_code == 200
    assert views(article) == 0


@pytest.mark.parametrize("kind", sorted(BOTS))
def test_bots_crawlers_previews_and_monitors_are_not_counted(kind, article):
    response = Client(HTTP_USER_AGENT=BOTS[kind]).get(article.get_absolute_url())
    assert response.status_code == 200
    assert views(article) == 0
    assert "nr_seen" not in response.cookies


def test_head_is_not_counted(reader, article):
    assert reader.head(article.get_absolute_url()).status_code == 200
    assert views(article) == 0


@pytest.mark.parametrize(
    "header",
    [
        {"HTTP_SEC_PURPOSE": "prefetch"},
        {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
        {"HTTP_PURPOSE": "prefetch"},
        {"HTTP_X_MOZ": "prefetch"},
        {"HTTP_X_PURPOSE": "preview"},
    ],
)
def test_prefetch_and_prerender_are_not_counted(header, reader, article):
    assert reader.get(article.get_absolute_url(), **header).status_code == 200
    assert views(article) == 0
    reader.get(article.get_absolute_url())  # the reader then opens it: counts
    assert views(article) == 1


def test_staff_are_not_counted_by_default(reader, editor, article):
    reader.force_login(editor)
    assert reader.get(article.get_absolute_url()).status_code == 200
    assert views(article) == 0


def test_staff_count_when_the_setting_says_so(settings, reader, editor, article):
    settings.NEWSROOM_VIEW_COUNT_STAFF = True
    reader.force_login(editor)
    reader.get(article.get_absolute_url())
    assert views(article) == 1


def test_a_logged_in_reader_who_is_not_staff_counts(reader, django_user_model, article):
    reader.force_login(django_user_model.objects.create_user("reader", password="pw-x-12345"))
    reader.get(article.get_absolute_url())
    assert views(article) == 1


def test_previews_are_not_counted(reader, editor, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    live = make_article()
    reader.force_login(editor)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.conf.settings.NEWSROOM_VIEW_COUNT_STAFF", True)
        assert reader.get(f"/preview/{draft.pk}/").status_code == 200
        assert reader.get(f"/preview/{live.pk}/").status_code == 200
        assert reader.get(draft.get_absolute_url()).status_code == 200  # staff see drafts
    assert views(draft) == 0
    assert views(live) == 0


def test_counting_can_be_switched_off(settings, reader, article):
    settings.NEWSROOM_COUNT_VIEWS = False
    reader.get(article.get_absolute_url())
    assert views(article) == 0


def test_same_reader_counts_once_per_window_with_one_cookie(settings, reader, make_article):
    first, second = make_article(), make_article()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        response = reader.get(first.get_absolute_url())
        assert shown_views(response) == 1
        response = reader.get(first.get_absolute_url())
        assert shown_views(response) == 1  # the total, not counted again
        assert "nr_seen" not in response.cookies  # nothing new to remember
        reader.get(second.get_absolute_url())
    assert (views(first), views(second)) == (1, 1)
    cookie = reader.cookies["nr_seen"]
    assert [c for c in reader.cookies if c != "csrftoken"] == ["nr_seen"]  # one for all
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == settings.NEWSROOM_VIEW_WINDOW
    expires = start.timestamp() // 1 + settings.NEWSROOM_VIEW_WINDOW  # for browsers without Max-Age
    assert cookie["expires"] == http_date(expires)
    with time_machine.travel(start + timedelta(seconds=settings.NEWSROOM_VIEW_WINDOW - 5)):
        reader.get(first.get_absolute_url())
    assert views(first) == 1
    with time_machine.travel(start + timedelta(seconds=settings.NEWSROOM_VIEW_WINDOW + 5)):
        reader.get(first.get_absolute_url())
    assert views(first) == 2


def test_the_cookie_holds_no_personal_data_and_cannot_be_forged(reader, article):
    reader.get(article.get_absolute_url())
    raw = reader.cookies["nr_seen"].value
    value = signing.Signer(salt=visits.COOKIE_SALT).unsign(raw)
    assert "127.0.0.1" not in value and BROWSER not in value
    # A tampered cookie is a new reader, not an error.
    reader.cookies["nr_seen"] = raw[:-3] + "xyz"
    assert reader.get(article.get_absolute_url()).status_code == 200
    assert views(article) == 2


def test_the_cookie_survives_a_secret_key_rotation_but_not_a_foreign_key(settings, reader, article):
    """Django's SECRET_KEY_FALLBACKS: readers counted before a rotation are not counted again."""
    reader.get(article.get_absolute_url())
    assert views(article) == 1
    old_key, raw = settings.SECRET_KEY, reader.cookies["nr_seen"].value
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "rotated-" + old_key, [old_key]
    reader.get(article.get_absolute_url())
    assert views(article) == 1
    settings.SECRET_KEY_FALLBACKS = []
    reader.cookies["nr_seen"] = raw
    reader.get(article.get_absolute_url())
    assert views(article) == 2
    value = "1a.2_3b.4c"
    django_signer = signing.Signer(salt=visits.COOKIE_SALT)
    assert visits.signer(visits.COOKIE_SALT).sign(value) == django_signer.sign(value)


def test_a_client_without_cookies_counts_on_each_request(article):
    for _ in range(3):
        Client(HTTP_USER_AGENT=BROWSER).get(article.get_absolute_url())
    assert views(article) == 3


def test_window_zero_sets_no_cookie_and_counts_each_request(settings, reader, article):
    settings.NEWSROOM_VIEW_WINDOW = 0
    response = reader.get(article.get_absolute_url())
    reader.get(article.get_absolute_url())
    assert "nr_seen" not in response.cookies
    assert views(article) == 2


def test_a_cached_page_still_counts(monkeypatch, article):
    """Counting happens before the cached page is filled in: a page that renders nothing counts."""

    Client(HTTP_USER_AGENT=BROWSER).get(article.get_absolute_url())  # renders and caches it

    def no_rendering(*args, **kwargs):
        raise AssertionError("a cached article page was rendered again")

    monkeypatch.setattr(pagecache, "render_to_string", no_rendering)
    response = Client(HTTP_USER_AGENT=BROWSER).get(article.get_absolute_url())
    assert response.status_code == 200
    assert views(article) == 2
    assert shown_views(response) == 2


def test_the_second_reader_of_a_cached_body_counts_and_sees_the_exact_figure(article):
    first = Client(HTTP_USER_AGENT=BROWSER).get(article.get_absolute_url())
    second = Client(HTTP_USER_AGENT=BROWSER).get(article.get_absolute_url())
    assert shown_views(first) == 1
    assert shown_views(second) == 2
    assert b"<span data-views>2</span>" in second.content


def test_counting_costs_two_statements_on_the_article_page(settings, article):
    url = article.get_absolute_url()
    Client(HTTP_USER_AGENT=BROWSER).get(url)  # warm caches (sections, fragments)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.NEWSROOM_COUNT_VIEWS = False
    with CaptureQueriesContext(connection) as off:
        Client(HTTP_USER_AGENT=BROWSER).get(url)
    settings.NEWSROOM_COUNT_VIEWS = True
    with CaptureQueriesContext(connection) as on:
        Client(HTTP_USER_AGENT=BROWSER).get(url)
    counting_sql = [q["sql"] for q in on.captured_queries if "SAVEPOINT" not in q["sql"]]
    plain_sql = [q["sql"] for q in off.captured_queries if "SAVEPOINT" not in q["sql"]]
    # The page itself comes from the cache: counting is all the database work, and the
    # figure shown comes back from the UPDATE (RETURNING), with no read of its own. On
    # PostgreSQL the UPDATE and the upsert are one statement (one round trip).
    expected = ["WITH"] if connection.vendor == "postgresql" else ["UPDATE", "INSERT"]
    assert [sql.split()[0] for sql in counting_sql] == expected
    # Without counting, the figure is one read of the stored total.
    assert [sql.split()[0] for sql in plain_sql] == ["SELECT"]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_sqlite_counts_in_one_immediate_transaction(make_article):
    """As in production (no test transaction around the request): the driver path."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = make_article()
    with CaptureQueriesContext(connection) as queries:
        assert counts.count_view(article.pk) == 1
        assert counts.count_view(article.pk) == 2
        assert counts.count_view(article.pk + 1000) is None
    article.refresh_from_db()
    assert article.views == 2
    assert DailyStat.objects.get(article=article, day=timezone.localdate()).views == 2
    assert not DailyStat.objects.filter(article_id=article.pk + 1000).exists()
    verbs = [q["sql"].split()[0] for q in queries.captured_queries]
    if connection.vendor == "sqlite":
        # The day's row: inserted by the first view, updated in place by the second.
        first, second = (
            ["BEGIN", "UPDATE", "UPDATE", "INSERT", "COMMIT"],
            ["BEGIN", "UPDATE", "UPDATE", "COMMIT"],
        )
        assert verbs == first + second + ["BEGIN", "UPDATE", "COMMIT"]
        assert not connection.connection.in_transaction
    else:
        assert verbs == ["WITH", "WITH", "WITH"]


def _two_connections(tmp_path, timeout):
    path = tmp_path / "locks.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("CREATE TABLE t (n INTEGER)")
    counter = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    return holder, counter


def test_a_count_waits_for_another_workers_lock_then_takes_it(tmp_path):
    holder, counter = _two_connections(tmp_path, timeout=5)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(0.05, holder.execute, ["COMMIT"]).start()
    started = time.monotonic()
    counts.begin_immediate(counter, 5)
    waited = time.monotonic() - started
    assert counter.in_transaction and 0.04 < waited < 1
    counter.execute("COMMIT")
    # SQLite's own wait is back for every other statement on the connection.
    assert counter.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


def test_a_count_gives_up_at_the_timeout_as_sqlite_would(tmp_path):
    holder, counter = _two_connections(tmp_path, timeout=0.2)
    holder.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        counts.begin_immediate(counter, 0.2)
    assert 0.2 <= time.monotonic() - started < 2
    assert not counter.in_transaction
    assert counter.execute("PRAGMA busy_timeout").fetchone()[0] == 200
    holder.execute("ROLLBACK")


@pytest.mark.django_db(transaction=True)
def test_a_failed_count_rolls_back_and_leaves_the_connection_usable(monkeypatch, make_article):
    from django.db import DatabaseError, connection

    article = make_article()
    monkeypatch.setitem(
        counts._count_sql_memo,
        (connection.vendor, "views"),
        counts.CountSQL(
            update=counts._count_sql(connection, "views").update,
            daily=counts._count_sql(connection, "views").daily,
            upsert="INSERT INTO no_such_table VALUES (%s, %s, %s)",
            combined="SELECT no_such_column FROM articles_article WHERE %s = %s",
        ),
    )
    with pytest.raises(DatabaseError):
        counts.add_counts(article.pk, "views")
    monkeypatch.undo()
    article.refresh_from_db()
    assert article.views == 0  # the UPDATE before the failure was rolled back
    assert counts.count_view(article.pk) == 1


def test_a_count_is_dated_by_the_newsrooms_time_zone_and_turns_at_its_midnight(settings):
    settings.TIME_ZONE = "Asia/Shanghai"  # UTC+8: its midnight is 16:00 UTC
    with time_machine.travel("2026-11-29T15:59:59.500+00:00", tick=False):
        assert counts.today().isoformat() == "2026-11-29"
    with time_machine.travel("2026-11-29T16:00:00.500+00:00", tick=False):
        assert counts.today().isoformat() == "2026-11-30"
        settings.TIME_ZONE = "America/New_York"  # in the same second: not the memoised date
        assert counts.today().isoformat() == "2026-11-29"


def test_later_views_of_the_day_add_to_its_row_in_place(article):
    for expected in (1, 2, 3):
        assert counts.count_view(article.pk) == expected
    (row,) = DailyStat.objects.filter(article=article)
    assert (row.day, row.views, row.qr_scans) == (counts.today(), 3, 0)


def test_qr_scans_are_counted_with_their_own_daily_figure(article):
    assert counts.count_qr_scan(article.pk) == 1
    assert counts.count_qr_scan(article.pk) == 2
    article.refresh_from_db()
    assert (article.views, article.qr_scans) == (0, 2)
    assert DailyStat.objects.get(article=article).qr_scans == 2


def test_counting_a_deleted_article_returns_none(article):
    pk = article.pk
    article.delete()
    assert counts.count_view(pk) is None


def test_should_count_for_a_post_endpoint(rf, article):
    post = rf.post("/api/v1/articles/1/view", HTTP_USER_AGENT=BROWSER)
    assert counts.should_count(post) is False
    assert counts.should_count(post, method_ok=True) is True
    assert counts.is_countable_client(post) is True
    bot = rf.post("/api/v1/articles/1/view", HTTP_USER_AGENT=BOTS["monitor"])
    assert counts.should_count(bot, method_ok=True) is False


# --- Beacon mode ------------------------------------------------------------------------


@pytest.fixture
def beacon(settings):
    settings.NEWSROOM_VIEW_COUNTING = "beacon"
    return "/views/beacon/"


def test_beacon_mode_page_does_not_count_but_carries_a_signed_token(beacon, reader, article):
    response = reader.get(article.get_absolute_url())
    assert views(article) == 0
    token = visits.beacon_token(article.pk)
    assert f'data-token="{token}"'.encode() in response.content
    assert b'src="/static/js/beacon.js"' in response.content
    response = reader.post(beacon, {"t": token})
    assert response.status_code == 200
    assert response.json() == {"views": 1, "counted": True}
    assert response["Cache-Control"].startswith("max-age=0")
    assert views(article) == 1 and daily_views(article) == 1
    # Same reader, same window: not again.
    assert reader.post(beacon, {"t": token}).json() == {"views": 1, "counted": False}


def test_server_mode_has_no_beacon(reader, article):
    response = reader.get(article.get_absolute_url())
    assert b"beacon.js" not in response.content
    token = visits.beacon_token(article.pk)
    assert reader.post("/views/beacon/", {"t": token}).status_code == 404


def test_beacon_signature_for_another_article_is_refused(beacon, reader, make_article):
    mine, other = make_article(), make_article()
    token = visits.beacon_token(mine.pk)
    _value, sig = token.rsplit(":", 1)
    for forged in (f"{other.pk}:{sig}", str(other.pk), "", "junk:junk"):
        response = reader.post(beacon, {"t": forged})
        assert response.status_code == 400, forged
    assert views(other) == 0 and views(mine) == 0


def test_beacon_applies_the_same_rules(beacon, editor, article):
    token = visits.beacon_token(article.pk)
    Client(HTTP_USER_AGENT=BOTS["link preview"]).post(beacon, {"t": token})
    Client().post(beacon, {"t": token})
    Client(HTTP_USER_AGENT=BROWSER).post(beacon, {"t": token}, HTTP_SEC_PURPOSE="prefetch")
    staff = Client(HTTP_USER_AGENT=BROWSER)
    staff.force_login(editor)
    staff.post(beacon, {"t": token})
    assert views(article) == 0


def test_beacon_refuses_get_cross_site_and_drafts(beacon, reader, make_article):
    live, draft = make_article(), make_article(status=Article.Status.DRAFT)
    assert reader.get(beacon).status_code == 405
    token = visits.beacon_token(live.pk)
    assert reader.post(beacon, {"t": token}, HTTP_SEC_FETCH_SITE="cross-site").status_code == 403
    assert reader.post(beacon, {"t": token}, HTTP_ORIGIN="https://evil.example").status_code == 403
    assert reader.post(beacon, {"t": visits.beacon_token(draft.pk)}).status_code == 404
    ok = reader.post(beacon, {"t": token}, HTTP_SEC_FETCH_SITE="same-origin")
    assert ok.status_code == 200
    assert views(live) == 1 and views(draft) == 0


def test_beacon_is_rate_limited_per_cookie(beacon, reader, make_article):
    articles = [make_article() for _ in range(visits.BEACON_RATE_PER_MINUTE + 1)]
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        codes = [
            reader.post(beacon, {"t": visits.beacon_token(a.pk)}).status_code for a in articles
        ]
        assert codes[:-1] == [200] * visits.BEACON_RATE_PER_MINUTE
        assert codes[-1] == 429
        traveller.shift(61)
        assert reader.post(beacon, {"t": visits.beacon_token(articles[-1].pk)}).status_code == 200


# --- Redis backend ------------------------------------------------------------------------


@pytest.fixture
def redis_counts(settings, redis_url):
    import redis

    settings.REDIS_URL = redis_url
    client = redis.Redis.from_url(redis_url)

    def clean():
        for key in client.scan_iter(f"{counts.REDIS_PREFIX}:*"):
            client.delete(key)

    clean()
    counts._health.update(down_until=0.0)
    yield client
    clean()


def test_redis_counts_pending_and_flush_moves_them(settings, redis_counts, reader, article):
    settings.NEWSROOM_VIEW_FLUSH = 0  # no automatic flush: see what is pending
    for _ in range(3):
        response = Client(HTTP_USER_AGENT=BROWSER).get(article.get_absolute_url())
    assert shown_views(response) == 3
    assert views(article) == 0
    assert counts.pending_counts(article.pk) == {"views": 3, "qr_scans": 0}
    counts.count_qr_scan(article.pk)
    call_command("flush_views", verbosity=0)
    article.refresh_from_db()
    assert (article.views, article.qr_scans) == (3, 1)
    assert daily_views(article) == 3
    assert counts.pending_counts(article.pk) == {"views": 0, "qr_scans": 0}
    assert shown_views(Client(HTTP_USER_AGENT=BROWSER).get(article.get_absolute_url())) == 4


def test_redis_pages_read_the_stored_total_once_per_flush(
    settings, redis_counts, article, django_assert_num_queries
):
    """The stored total is read again only when a flush or a reset changed it (in any process:
    the generation is in Redis), so a counted view of a cached page costs no query."""
    settings.NEWSROOM_VIEW_FLUSH = 0
    url = article.get_absolute_url()
    assert shown_views(Client(HTTP_USER_AGENT=BROWSER).get(url)) == 1  # renders and caches
    with django_assert_num_queries(0):
        assert shown_views(Client(HTTP_USER_AGENT=BROWSER).get(url)) == 2
        assert shown_views(Client(HTTP_USER_AGENT=BOTS["command line"]).get(url)) == 2
    counts.RedisBackend(settings.REDIS_URL).flush()  # as another server's flush_views would
    assert views(article) == 2
    with django_assert_num_queries(1):
        assert shown_views(Client(HTTP_USER_AGENT=BROWSER).get(url)) == 3
    with django_assert_num_queries(0):
        assert shown_views(Client(HTTP_USER_AGENT=BROWSER).get(url)) == 4
    call_command("reset_views", str(article.pk), "--noinput", verbosity=0)
    assert shown_views(Client(HTTP_USER_AGENT=BROWSER).get(url)) == 1


def test_redis_a_change_behind_the_generation_shows_within_max_age(
    settings, redis_counts, monkeypatch, article
):
    settings.NEWSROOM_VIEW_FLUSH = 0
    monkeypatch.setattr(counts.StoredTotals, "MAX_AGE", 0.05)
    url = article.get_absolute_url()
    assert shown_views(Client(HTTP_USER_AGENT=BROWSER).get(url)) == 1
    Article.objects.filter(pk=article.pk).update(views=100)  # e.g. counted while Redis was away
    time.sleep(0.1)
    assert shown_views(Client(HTTP_USER_AGENT=BROWSER).get(url)) == 102


def test_redis_app_flushes_on_its_own(settings, redis_counts, article):
    settings.NEWSROOM_VIEW_FLUSH = 10
    backend = counts.redis_backend()
    backend._next_autoflush = 0.0
    assert counts.count_view(article.pk) == 1
    assert views(article) == 1  # flushed by the count itself: nobody flushed in 10 s
    assert counts.count_view(article.pk) == 2
    assert views(article) == 1  # throttled


def test_flush_killed_before_commit_loses_nothing(settings, redis_counts, monkeypatch, article):
    settings.NEWSROOM_VIEW_FLUSH = 0
    for _ in range(5):
        counts.count_view(article.pk)

    def die(*args, **kwargs):
        raise SystemExit("killed")

    monkeypatch.setattr(counts.AppliedBatch.objects, "create", die)
    with pytest.raises(SystemExit):
        counts.flush()
    monkeypatch.undo()
    assert views(article) == 0
    counts.count_view(article.pk)
    counts.flush()
    assert views(article) == 6 and daily_views(article) == 6


def test_flush_killed_after_commit_doubles_nothing(settings, redis_counts, monkeypatch, article):
    settings.NEWSROOM_VIEW_FLUSH = 0
    for _ in range(5):
        counts.count_view(article.pk)
    backend = counts.redis_backend()
    real_pipeline = backend.client.pipeline
    calls = []

    def pipeline_then_die(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:  # the delete of the applied batch
            raise SystemExit("killed")
        return real_pipeline(*args, **kwargs)

    monkeypatch.setattr(backend.client, "pipeline", pipeline_then_die)
    with pytest.raises(SystemExit):
        backend.flush()
    monkeypatch.undo()
    assert views(article) == 5
    assert redis_counts.smembers(backend.batches_key)  # the batch is still there
    counts.flush()
    assert views(article) == 5 and daily_views(article) == 5
    assert not redis_counts.smembers(backend.batches_key)


def test_redis_down_falls_back_to_the_database_and_logs_once(settings, caplog, article):
    settings.REDIS_URL = "redis://127.0.0.1:8199/0"  # nothing listens there
    counts._health.update(down_until=0.0, logged_at=-counts.LOG_EVERY_SECONDS)
    with caplog.at_level(logging.WARNING, logger="readership.counts"):
        for expected in range(1, 6):
            counts._health["down_until"] = 0.0  # retry Redis every time: still one log line
            response = Client(HTTP_USER_AGENT=BROWSER).get(article.get_absolute_url())
            assert response.status_code == 200
            assert shown_views(response) == expected
    assert views(article) == 5
    assert len([r for r in caplog.records if "Redis unreachable" in r.message]) == 1
    counts._health.update(down_until=0.0)


def test_reset_views_command(settings, article):
    for _ in range(3):
        Client(HTTP_USER_AGENT=BROWSER).get(article.get_absolute_url())
    counts.count_qr_scan(article.pk)
    call_command("reset_views", str(article.pk), "--noinput", verbosity=0)
    article.refresh_from_db()
    assert (article.views, article.qr_scans) == (0, 1)
    assert daily_views(article) == 0
    assert DailyStat.objects.get(article=article).qr_scans == 1
    call_command(
        "reset_views", f"{article.section.slug}/{article.slug}", "--scans", "--noinput", verbosity=0
    )
    article.refresh_from_db()
    assert article.qr_scans == 0 and not DailyStat.objects.filter(article=article).exists()


def test_reset_views_unknown_article_is_an_error(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("reset_views", "no-such-article", "--noinput")


def test_reset_views_drops_pending_redis_counts(settings, redis_counts, article):
    settings.NEWSROOM_VIEW_FLUSH = 0
    counts.count_view(article.pk)
    counts.count_view(article.pk)
    call_command("reset_views", article.short_code, "--noinput", verbosity=0)
    counts.flush()
    assert views(article) == 0
    assert counts.pending_counts(article.pk)["views"] == 0


def test_flush_views_without_redis_says_so(db, capsys):
    call_command("flush_views")
    assert "without REDIS_URL" in capsys.readouterr().out


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("database is locked"),
        InterfaceError("connection already closed"),
    ],
)
def test_a_busy_database_drops_the_view_with_a_log_line_and_serves_the_page(
    monkeypatch, caplog, reader, article, error
):
    url = article.get_absolute_url()
    reader.get(url)  # counted, and the page cached

    def busy(*args, **kwargs):
        raise error

    with monkeypatch.context() as patch, caplog.at_level(logging.WARNING, "readership.counts"):
        patch.setattr(counts, "add_counts", busy)
        other = Client(HTTP_USER_AGENT=BROWSER)
        response = other.get(url)
        assert response.status_code == 200
        assert shown_views(response) == 1  # the stored figure, read back
        assert "nr_seen" not in response.cookies  # not remembered: the next visit counts
        scan = Client(HTTP_USER_AGENT=BROWSER).get(f"/s/{article.short_code}/")
        assert scan.status_code == 302 and scan["Location"] == article.get_full_url()
    messages = [r.getMessage() for r in caplog.records]
    assert any(f"One views of article {article.pk} not counted" in m for m in messages)
    assert any(f"One qr_scans of article {article.pk} not counted" in m for m in messages)
    assert views(article) == 1
    assert shown_views(other.get(url)) == 2  # the database is back: the same reader counts


def test_with_the_database_down_a_cached_page_shows_a_dash_not_a_false_zero(monkeypatch, article):
    url = article.get_absolute_url()
    Client(HTTP_USER_AGENT=BROWSER).get(url)  # counted, and the page cached

    def down(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(counts, "add_counts", down)
    monkeypatch.setattr(counts, "_db_total", down)
    response = Client(HTTP_USER_AGENT=BROWSER).get(url)
    assert response.status_code == 200
    assert "<span data-views>–</span>" in response.content.decode()
