"""The "large city, ten years" data set of DESIGN.md §10, made reproducibly.

``python -m bench dataset --scale F OUT.sqlite3`` builds, at F = 1: 30 venues, 60
rooms, 60 000 sessions, 100 000 attendees, about 600 000 bookings, 3 000
volunteers, about 120 000 shifts, 200 000 help-desk tickets with their events,
800 出前講座・出張相談 requests from 300 groups (each at its own place, an
outreach venue) with the sessions and shifts of those held, about 200 000
受講後アンケート sheets (issue 17), and the audit rows those writes leave
(about 1.8 M). F scales the breadth (a
prefecture at F = 4 has four times the centres); ``--years`` scales the history
(the span is ``years`` long and ends about three months after the clock), so
``--years 2.5`` is the same city with a quarter of the history.

The schema comes from `db.init_db`, so it follows the migrations; rows are then
written in bulk with plain SQL, as the app's own functions would have left them
(statuses, timestamps, audit details). The same seed, scale, years and clock give
the same rows (see `digest`).

People are invented: names are drawn from common surname and given-name lists,
phone numbers lie in the unallocated 090-0xxx-xxxx / 080-0xxx-xxxx blocks, and
help-desk summaries are generic sentences without personal data.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import math
import random
import sqlite3
from collections import deque
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import jpholiday

import db
import lessons
from db import schema
from db.clock import JST, now_jst
from db.reports import fiscal_year_of
from db.text import kana_key

VERSION = 4
SEED = 20261201
# Counts at scale 1 over ten years (DESIGN.md §10).
VENUES, ROOMS_PER_VENUE, VOLUNTEERS = 30, 2, 3_000
SESSIONS, ATTENDEES, BOOKINGS, TICKETS = 60_000, 100_000, 600_000, 200_000
# 出前講座・出張相談 (db.outreach): requests over ten years, and the groups that ask
# (each meets at a place of its own). A large city answers about 80 a year.
OUTREACH_REQUESTS, OUTREACH_GROUPS = 800, 300
YEARS = 10.0
AHEAD_DAYS = 91
BOOKING_WINDOW_DAYS = 60
# 抽選 (issue 17): this share of sessions is oversubscribed and drawn, with 1.5–3
# applicants a seat (cities report 2–3.5); the window closes 14 days before.
LOTTERY_SHARE = 0.05
LOTTERY_CLOSES_BEFORE = timedelta(days=14)
# Accounts the benchmarks sign in with (this data set only; never a real database).
ACCOUNTS = {"admin": ("bench-admin", "bench-kanri-2026"), "staff": ("bench-staff", "bench-madoguchi-2026"),
            "volunteer": ("bench-volunteer", "bench-suishin-2026")}

SURNAMES = [
    ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("伊藤", "イトウ"), ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"), ("吉田", "ヨシダ"), ("山田", "ヤマダ"),
    ("佐々木", "ササキ"), ("山口", "ヤマグチ"), ("松本", "マツモト"), ("井上", "イノウエ"), ("木村", "キムラ"), ("林", "ハヤシ"),
    ("斎藤", "サイトウ"), ("清水", "シミズ"), ("山崎", "ヤマザキ"), ("森", "モリ"), ("池田", "イケダ"), ("橋本", "ハシモト"),
    ("阿部", "アベ"), ("石川", "イシカワ"), ("山下", "ヤマシタ"), ("中島", "ナカジマ"), ("石井", "イシイ"), ("小川", "オガワ"),
    ("前田", "マエダ"), ("岡田", "オカダ"), ("長谷川", "ハセガワ"), ("藤田", "フジタ"), ("後藤", "ゴトウ"), ("近藤", "コンドウ"),
    ("村上", "ムラカミ"), ("遠藤", "エンドウ"), ("青木", "アオキ"), ("坂本", "サカモト"), ("西村", "ニシムラ"), ("福田", "フクダ"),
]
GIVEN_NAMES = [
    ("花子", "ハナコ"), ("和子", "カズコ"), ("幸子", "サチコ"), ("節子", "セツコ"), ("春江", "ハルエ"), ("洋子", "ヨウコ"),
    ("恵子", "ケイコ"), ("京子", "キョウコ"), ("美智子", "ミチコ"), ("悦子", "エツコ"), ("文子", "フミコ"), ("静香", "シズカ"),
    ("久美子", "クミコ"), ("由美", "ユミ"), ("直美", "ナオミ"), ("千代", "チヨ"), ("一郎", "イチロウ"), ("茂", "シゲル"),
    ("清", "キヨシ"), ("正", "タダシ"), ("勇", "イサム"), ("博", "ヒロシ"), ("誠", "マコト"), ("進", "ススム"),
    ("実", "ミノル"), ("稔", "ミノル"), ("隆", "タカシ"), ("修", "オサム"), ("豊", "ユタカ"), ("健一", "ケンイチ"),
    ("和夫", "カズオ"), ("敏夫", "トシオ"), ("昭", "アキラ"), ("武", "タケシ"), ("明美", "アケミ"), ("光子", "ミツコ"),
]
TOWNS = [
    "みどり台", "さくら台", "ひかり町", "あおば", "かえで", "はなみずき", "つばき", "すずらん", "ひばりが丘", "わかば",
    "こもれび", "やまびこ", "しらかば", "ほたる野", "あさひ", "ゆりの木", "もみじ台", "なぎさ", "たんぽぽ", "せせらぎ",
    "かすみ野", "ときわ台", "けやき", "ふじみ野", "こぶし", "なのはな", "すみれ", "あじさい", "ひまわり", "いちょう",
    "うぐいす", "かたばみ", "ききょう", "くすのき", "さつき", "しおさい", "そよかぜ", "たちばな", "つつじ", "なでしこ",
]
CENTRE_KINDS = ("コミュニティセンター", "公民館", "市民センター")
SLOTS = (time(10, 0), time(13, 30), time(15, 30))
AGE_BANDS = (("〜59", 7), ("60代", 20), ("70代", 40), ("80代", 25), ("90代〜", 6), ("", 2))
DEVICES = (("iPhone", 36), ("Android", 34), ("らくらくスマホ", 12), ("携帯電話", 8), ("なし", 7), ("", 3))
NEEDS = (("[]", 85), ('["大きな文字"]', 8), ('["聞こえ"]', 4), ('["歩行・車いす"]', 2), ('["日本語以外"]', 1))
KINDS = (("promoter", 35), ("supporter", 25), ("student", 20), ("staff", 10), ("other", 10))
SKILLS = ("iPhone", "Android", "LINE", "マイナンバーカード・マイナポータル", "詐欺対策", "キャッシュレス", "防災", "インターネット")
CANCEL_REASONS = ("体調不良", "都合がつかなくなった", "家族の用事", "通院のため", "ご本人から連絡")
SESSION_CANCEL_REASONS = ("講師の体調不良", "台風のため", "施設の設備点検", "申込者が少ないため")
CHANNELS = (("visit", 50), ("phone", 30), ("after_class", 15), ("home", 5))
CATEGORIES = {
    "basics": "文字の大きさや音量の変え方が分からない",
    "calls_mail": "写真をメールで送る方法を知りたい",
    "line": "LINEの友だち追加とトークの使い方",
    "internet": "ホームページの文字が小さくて読めない",
    "apps": "アプリの入れ方と消し方を知りたい",
    "card_application": "マイナンバーカードの申請方法を知りたい",
    "mynaportal": "マイナアプリへのログインができない",
    "hokensho": "マイナ保険証の利用登録をしたい",
    "koukin": "公金受取口座の登録方法",
    "certificate": "電子証明書の有効期限が近いと通知が来た",
    "procedures": "オンラインで住民票の写しを申請したい",
    "scams": "不審なショートメッセージが届いた",
    "cashless": "スマホ決済のチャージ方法が分からない",
    "other": "機種変更のデータ移行について",
}
CATEGORY_WEIGHTS = (18, 8, 14, 8, 7, 7, 9, 8, 3, 4, 4, 6, 3, 1)
REFERRALS = (("carrier_shop", 50), ("city_hall", 25), ("myna_dial", 12), ("consumer_centre", 8), ("police", 5))


@dataclass(frozen=True)
class Plan:
    """How big a data set to make: `scale` (breadth) × `years` of history ending
    `AHEAD_DAYS` after `now` (an aware datetime)."""

    scale: float
    years: float
    now: datetime
    seed: int = SEED

    def count(self, per_ten_years: int) -> int:
        """A count that grows with breadth and history (sessions, bookings, …)."""
        return max(1, round(per_ten_years * self.scale * self.years / YEARS))

    def breadth(self, at_scale_1: int) -> int:
        """A count that grows with breadth only (venues, volunteers)."""
        return max(1, round(at_scale_1 * self.scale))


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def _pick(rng: random.Random, table) -> str:
    values, weights = zip(*table)
    return rng.choices(values, weights)[0]


class _Audit:
    """Audit rows collected in a staging table, written to audit_log in time order
    at the end (ids then follow time, as they would have)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.rows: list[tuple] = []
        conn.execute("create temp table audit_stage (at text, user text, action text, entity text, entity_id text, detail text)")

    def add(self, at: str, user: str, action: str, entity: str, entity_id, detail: dict) -> None:
        self.rows.append((at, user, action, entity, None if entity_id is None else str(entity_id),
                          json.dumps(detail, ensure_ascii=False, sort_keys=True)))
        if len(self.rows) >= 200_000:
            self.flush()

    def flush(self) -> None:
        self.conn.executemany("insert into audit_stage values (?, ?, ?, ?, ?, ?)", self.rows)
        self.rows = []

    def finish(self) -> None:
        """Append the staged rows in time order, chained by hash as `db.audit.record`
        chains them; the append-only trigger (which accepts only rows of the present
        moment) is set aside meanwhile and `db.init_db` puts it back."""
        self.flush()
        self.conn.execute("drop trigger if exists audit_log_append_only")
        last = self.conn.execute("select id, hash from audit_log order by id desc limit 1").fetchone()
        row_id, prev = last if last else (0, None)
        rows = self.conn.execute("select at, user, action, entity, entity_id, detail from audit_stage order by at, rowid").fetchall()
        chained = []
        for row in rows:
            row_id += 1
            fields = self.conn.execute("select json_array(?, ?, ?, ?, ?, ?, ?)", [row_id, *row]).fetchone()[0]
            digest = hashlib.sha256(schema.chain_text(fields, prev).encode("utf-8")).hexdigest()
            chained.append((row_id, *row, prev, digest))
            prev = digest
        self.conn.executemany(
            "insert into audit_log (id, at, user, action, entity, entity_id, detail, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            chained,
        )
        self.conn.execute("drop table audit_stage")


def _working_days(first: date, last: date) -> list[date]:
    """Monday to Saturday, without national holidays and 12/29–1/3 (the rule of
    `db.sessions.day_note`, with the year's holidays read once)."""
    holidays = {d for d, _name in jpholiday.between(first, last)}
    days, d = [], first
    while d <= last:
        if d.weekday() < 6 and d not in holidays and not ((d.month == 12 and d.day >= 29) or (d.month == 1 and d.day <= 3)):
            days.append(d)
        d += timedelta(days=1)
    return days


def build(path: Path | str, scale: float = 1.0, years: float = YEARS, now: datetime | None = None, seed: int = SEED) -> dict:
    """Write the data set to a new database file at `path` (replacing any file there).

    Args:
        scale: breadth factor (1 = a large city's 30 venues).
        years: history length; the span ends `AHEAD_DAYS` after `now`.
        now: aware datetime the data set is built around (default: the clock).
        seed: random seed; equal arguments give equal rows.
    Returns:
        {"table": row count, …, "now": ISO JST of `now`}.
    """
    plan = Plan(scale, years, (now or now_jst()).astimezone(JST).replace(microsecond=0), seed)
    target = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    db.init_db(target)
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-400000")
    rng = random.Random(seed)
    log = _Audit(conn)
    with conn:
        staff_users, user_ids = _people_and_places(conn, rng, plan, log)
    with conn:
        sessions = _sessions(conn, rng, plan, log, staff_users)
    with conn:
        attendee_created = _attendees_and_bookings(conn, rng, plan, log, sessions, staff_users)
    with conn:
        # A generator of its own, so the rows drawn after it stay as they were.
        _surveys(conn, random.Random(seed + 17), plan, log, staff_users)
    with conn:
        _shifts(conn, rng, plan, log, sessions, staff_users)
    with conn:
        _tickets(conn, rng, plan, log, attendee_created, staff_users, user_ids)
    with conn:
        # A random stream of its own, so the rows before stay as they were.
        _loans(conn, random.Random(seed + 2), plan, log, sessions, staff_users)
    with conn:
        _accounts(conn, rng, plan, log)
        _outreach(conn, plan, log, staff_users)
        log.finish()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.init_db(target)  # puts back the audit log's append-only trigger
    counts = {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in (
        "venues", "rooms", "sessions", "attendees", "bookings", "volunteers", "shifts", "tickets", "ticket_events", "audit_log", "users",
        "loan_phones", "loans", "outreach_requests", "surveys", "survey_wishes", "lotteries", "applications")}
    counts["outreach_venues"] = conn.execute("select count(*) from venues where outreach = 1").fetchone()[0]
    counts["outreach_sessions"] = conn.execute("select count(*) from outreach_requests where session_id is not null").fetchone()[0]
    conn.close()
    return {**counts, "now": plan.now.isoformat()}


def _people_and_places(conn, rng: random.Random, plan: Plan, log: _Audit) -> tuple[list[str], list[int]]:
    """Settings, venues, rooms, volunteers and their availability, staff accounts.
    Returns (staff usernames, their user ids)."""
    start = plan.now - timedelta(days=plan.years * 365.25 - AHEAD_DAYS)
    founded = _utc(start - timedelta(days=30))
    conn.executemany("insert into settings (key, value) values (?, ?)",
                     [("centre_name", "みどり台市 デジタル相談デスク"), ("centre_phone", "03-0000-0000")])
    venue_count = plan.breadth(VENUES)
    for v in range(1, venue_count + 1):
        town = TOWNS[(v - 1) % len(TOWNS)]
        name = f"{town}{CENTRE_KINDS[((v - 1) // len(TOWNS)) % len(CENTRE_KINDS)]}"
        if v > len(TOWNS) * len(CENTRE_KINDS):
            name += f"{v}"
        conn.execute("insert into venues (id, name, address, phone) values (?, ?, ?, ?)",
                     [v, name, f"東京都みどり台市{town}{v}-1-1", f"03-0000-{v:04d}"])
        log.add(founded, "admin", "create", "venues", v, {"name": name})
        for r, (room, seats) in enumerate((("第1研修室", 16), ("和室", 10))[:ROOMS_PER_VENUE]):
            room_id = (v - 1) * ROOMS_PER_VENUE + r + 1
            conn.execute("insert into rooms (id, venue_id, name, seats) values (?, ?, ?, ?)", [room_id, v, room, seats])
            log.add(founded, "admin", "create", "rooms", room_id, {"venue_id": v, "name": room, "seats": seats})
    volunteers, availability = [], []
    for i in range(1, plan.breadth(VOLUNTEERS) + 1):
        (surname, surname_kana), (given, given_kana) = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
        kind = _pick(rng, KINDS)
        skills = json.dumps(sorted(rng.sample(SKILLS, rng.randint(0, 3)), key=SKILLS.index), ensure_ascii=False)
        active = int(rng.random() < 0.85)
        volunteers.append((i, f"{surname}\u3000{given}", f"{surname_kana}\u3000{given_kana}", f"080-0{i // 10000:03d}-{i % 10000:04d}",
                           "", kind, skills, None if rng.random() < 0.8 else rng.choice((4, 6, 8)), active,
                           fiscal_year_of(plan.now.date()) - rng.randint(0, 3) if kind == "promoter" else None))
        joined = _utc(start + timedelta(days=rng.uniform(0, plan.years * 365.25 * 0.3)))
        log.add(joined, "admin", "create", "volunteers", i, {"kind": kind, "skills": json.loads(skills)})
        if rng.random() < 0.3:
            for weekday in rng.sample(range(6), 2):
                availability.append((i, weekday, "09:00", "17:00"))
    conn.executemany(
        "insert into volunteers (id, name, name_kana, phone, email, kind, skills, max_shifts_per_month, active, "
        "appointed_fiscal_year) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", volunteers)
    conn.executemany("insert into availability (volunteer_id, weekday, starts, ends) values (?, ?, ?, ?)", availability)
    staff = [f"staff{v:03d}{n}" for v in range(1, venue_count + 1) for n in "ab"]
    hashed = _hash("bench-unused-password", plan.seed)
    user_ids = []
    for username in staff:
        user_ids.append(conn.execute(
            "insert into users (username, password_hash, role, email, active, failed_logins, created_at) "
            "values (?, ?, 'staff', '', 1, 0, ?)", [username, hashed, founded]).lastrowid)
        log.add(founded, "admin", "create", "users", user_ids[-1], {"username": username, "role": "staff", "volunteer_id": None})
    return staff, user_ids


def _hash(password: str, seed: int) -> str:
    """An argon2id hash with a salt derived from the seed, so the file is reproducible."""
    from argon2 import PasswordHasher

    return PasswordHasher().hash(password, salt=hashlib.sha256(f"{seed}:{password}".encode()).digest()[:16])


@dataclass
class _Session:
    id: int
    venue_id: int
    starts: datetime
    ends: datetime
    capacity: int
    helpers_needed: int
    cancelled: bool
    created: datetime


def _sessions(conn, rng: random.Random, plan: Plan, log: _Audit, staff: list[str]) -> list[_Session]:
    end_day = plan.now.date() + timedelta(days=AHEAD_DAYS)
    first_day = end_day - timedelta(days=round(plan.years * 365.25))
    days = _working_days(first_day, end_day)
    rooms = conn.execute("select r.id, r.venue_id, r.seats from rooms r order by r.id").fetchall()
    grid = len(days) * len(rooms) * len(SLOTS)
    wanted = min(plan.count(SESSIONS), grid)
    catalogue = lessons.catalogue()
    lesson_ids = list(catalogue)
    popularity = [3.0 if lid.startswith(("phone-", "line-", "myna")) else 1.0 for lid in lesson_ids]
    rows, result = [], []
    for n, position in enumerate(sorted(rng.sample(range(grid), wanted)), start=1):
        day_index, rest = divmod(position, len(rooms) * len(SLOTS))
        room_index, slot = divmod(rest, len(SLOTS))
        room_id, venue_id, seats = rooms[room_index]
        lesson_id = rng.choices(lesson_ids, popularity)[0]
        starts = datetime.combine(days[day_index], SLOTS[slot], tzinfo=JST)
        ends = starts + timedelta(minutes=catalogue[lesson_id].minutes)
        capacity = min(seats, rng.choice((8, 10, 12, 12, 15)))
        helpers = math.ceil(capacity / 4)
        created = min(starts - timedelta(days=rng.uniform(61, 100)), plan.now - timedelta(hours=1))
        cancelled = rng.random() < 0.025 and created < plan.now - timedelta(days=2)
        reason = rng.choice(SESSION_CANCEL_REASONS) if cancelled else None
        rows.append((n, lesson_id, room_id, starts.isoformat(), ends.isoformat(), capacity, helpers,
                     "cancelled" if cancelled else "scheduled", "", _utc(created), reason))
        user = rng.choice(staff)
        log.add(_utc(created), user, "create", "sessions", n,
                {"lesson_id": lesson_id, "room_id": room_id, "starts_at": starts.isoformat(), "capacity": capacity})
        if cancelled:
            at = created + (min(starts, plan.now) - created) * rng.uniform(0.5, 0.99)
            log.add(_utc(at), user, "cancel", "sessions", n, {"changed": ["status", "cancel_reason"]})
        result.append(_Session(n, venue_id, starts, ends, capacity, helpers, cancelled, created))
    conn.executemany(
        "insert into sessions (id, lesson_id, room_id, starts_at, ends_at, capacity, helpers_needed, status, note, "
        "created_at, cancel_reason) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return result


def _attendees_and_bookings(conn, rng: random.Random, plan: Plan, log: _Audit, sessions: list[_Session], staff: list[str]) -> list[str]:
    """Attendees, each active for a while with a heavy-tailed appetite, and their
    bookings with the statuses the desk's rules leave. Returns the attendees'
    created_at (UTC ISO), index = id - 1."""
    span_start = sessions[0].starts - timedelta(days=30)
    span = (plan.now - span_start).total_seconds()
    count = plan.count(ATTENDEES)
    first_seen, active_until, appetite = [], [], []
    for _ in range(count):
        # Some were known before the history begins; stays last about three years.
        first = span_start + timedelta(seconds=rng.uniform(-0.15, 1.0) * span)
        first_seen.append(max(first, span_start))
        active_until.append(first + timedelta(days=30 + rng.expovariate(1 / (3 * 365))))
        appetite.append(min(rng.paretovariate(1.2), 60.0))
    # Demand per session: capacity × the lesson's pull, bookings open 60 days ahead.
    lotteries = _lottery_sessions(plan, sessions)
    weights = []
    for s in sessions:
        opened = s.starts - timedelta(days=BOOKING_WINDOW_DAYS)
        elapsed = min(max((plan.now - opened) / timedelta(days=BOOKING_WINDOW_DAYS), 0.0), 1.0)
        pull = rng.uniform(0.6, 1.25)
        weights.append(s.capacity * (lotteries[s.id].pull if s.id in lotteries else pull) * elapsed)
    total = plan.count(BOOKINGS)
    scale = total / sum(weights)
    wanted = [int(w * scale) + (rng.random() < (w * scale) % 1) for w in weights]
    # Who books: attendees active in the session's month, by appetite.
    months: dict[tuple[int, int], list[int]] = {}
    for index, s in enumerate(sessions):
        months.setdefault((s.starts.year, s.starts.month), []).append(index)
    chosen: list[list[int]] = [[] for _ in sessions]
    for (year, month), indexes in months.items():
        month_start = datetime(year, month, 1, tzinfo=JST)
        month_end = month_start + timedelta(days=31)
        pool = [i for i in range(count) if first_seen[i] < month_end and active_until[i] >= month_start]
        if not pool:
            continue
        cumulative = list(itertools.accumulate(appetite[i] for i in pool))
        for index in indexes:
            picks = set()
            for _attempt in range(3):
                need = wanted[index] - len(picks)
                if need <= 0:
                    break
                picks.update(rng.choices(pool, cum_weights=cumulative, k=need))
            chosen[index] = list(picks)[: wanted[index]] if len(picks) > wanted[index] else list(picks)
    rows, last_seen, first_booked = [], [None] * count, [None] * count
    booking_id = 0
    for s, people in zip(sessions, chosen):
        drawn = None
        if s.id in lotteries:
            drawn = lotteries[s.id].apply(log, s, people)
            if not drawn:
                continue  # still taking applications, or nobody applied: no bookings
        opened = max(s.starts - timedelta(days=BOOKING_WINDOW_DAYS), s.created)
        latest = min(s.starts - timedelta(hours=2), plan.now - timedelta(minutes=5))
        if latest <= opened or not people:
            continue
        queue = drawn or sorted((opened + (latest - opened) * rng.random(), person) for person in sorted(people))
        entries = []
        for queued, person in queue:
            booking_id += 1
            entry = {"id": booking_id, "person": person, "queued": queued, "status": "booked", "offered_until": None,
                     "offered_at": None, "cancelled_at": None, "cancel_reason": None, "attended_at": None,
                     "marked_by": None, "late": 0, "by": rng.choice(staff)}
            entries.append(entry)
            seated = sum(e["status"] == "booked" for e in entries[:-1]) < s.capacity
            entry["status"] = "booked" if seated else "waitlisted"
            log.add(_utc(queued), entry["by"], "book" if seated else "waitlist", "bookings", booking_id,
                    {"session_id": s.id, "attendee_id": person + 1, "to": entry["status"]})
        if s.id in lotteries:
            lotteries[s.id].link(entries)
        _cancellations_and_offers(rng, plan, log, s, entries, staff)
        if not s.cancelled and s.starts < plan.now:
            _attendance(rng, plan, log, s, entries, staff)
        for e in entries:
            person, queued = e["person"], e["queued"]
            last_seen[person] = max(last_seen[person] or queued, queued)
            first_booked[person] = min(first_booked[person] or queued, queued)
            rows.append((e["id"], s.id, person + 1, e["status"], _utc(queued), e["offered_until"], e["attended_at"],
                         e["marked_by"], e["by"], e["cancelled_at"], e["cancel_reason"], e["late"], e["offered_at"]))
        if len(rows) > 100_000:
            _insert_bookings(conn, rows)
            rows = []
    _insert_bookings(conn, rows)
    _insert_lotteries(conn, lotteries.values())
    created = []
    attendees = []
    for i in range(count):
        registered = min(first_seen[i], first_booked[i] or first_seen[i]) - timedelta(hours=1)
        (surname, surname_kana), (given, given_kana) = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
        kana = f"{surname_kana}\u3000{given_kana}"
        attendees.append((i + 1, f"{surname}\u3000{given}", kana, kana_key(kana), f"090-0{i // 10000:03d}-{i % 10000:04d}",
                          f"090{i // 10000:04d}{i % 10000:04d}", _pick(rng, AGE_BANDS), _pick(rng, DEVICES), _pick(rng, NEEDS),
                          registered.date().isoformat(), "", _utc(registered),
                          last_seen[i].astimezone(JST).date().isoformat() if last_seen[i] else None))
        created.append(_utc(registered))
        log.add(_utc(registered), rng.choice(staff), "create", "attendees", i + 1,
                {"consent_on": registered.date().isoformat(),
                 "fields": ["age_band", "device", "kana_key", "name", "name_kana", "needs", "note", "phone", "phone_digits"]})
    conn.executemany(
        "insert into attendees (id, name, name_kana, kana_key, phone, phone_digits, age_band, device, needs, consent_on, "
        "note, created_at, last_seen_on) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", attendees)
    return created


class _Lottery:
    """One lottery session of the data set: its window, applications and draw,
    as db.lottery leaves them (numbers in applying order, the drawn order from a
    seeded shuffle, winners booked and the rest waitlisted at the draw)."""

    def __init__(self, lottery_id: int, s, plan: Plan, rng: random.Random):
        self.id, self.session, self.plan, self.rng = lottery_id, s, plan, rng
        self.opens = max(s.starts - timedelta(days=BOOKING_WINDOW_DAYS), s.created + timedelta(hours=1))
        self.closes = s.starts - LOTTERY_CLOSES_BEFORE
        self.user = "system"
        self.applications: list[list] = []
        self.seed = ""
        self.pull = rng.uniform(1.5, 3.0)

    def apply(self, log: "_Audit", s, people: list[int]) -> list[tuple[datetime, int]] | None:
        """Record the applications; returns the drawn queue [(draw time, person)]
        in drawn order when the window has closed, else None ([] when nobody
        applied)."""
        log.add(_utc(self.opens - timedelta(minutes=30)), "system", "lottery_set", "lotteries", self.id,
                {"session_ids": [s.id], "opens_at": _utc(self.opens), "closes_at": _utc(self.closes),
                 "first_timer_seats": 0, "priority": False})
        latest = min(self.closes, self.plan.now - timedelta(minutes=5))
        if latest <= self.opens and self.closes > self.plan.now:
            return None
        span = max(latest - self.opens, timedelta(0))
        applied = sorted((self.opens + span * self.rng.random(), person) for person in sorted(people)) if span else []
        for number, (at, person) in enumerate(applied, start=1):
            self.applications.append([number, person, at, None, None, None])
            log.add(_utc(at), "system", "apply", "applications", None, {"lottery_id": self.id, "number": number})
        if self.closes > self.plan.now:
            return None
        self.seed = f"{self.rng.getrandbits(128):032x}"
        order = list(self.applications)
        random.Random(self.seed).shuffle(order)
        for place, app in enumerate(order, start=1):
            app[3] = place
            app[4] = "won" if place <= s.capacity else "lost"
        log.add(_utc(self.closes), "system", "draw", "lotteries", self.id,
                {"seed": self.seed, "seats": s.capacity, "won": min(s.capacity, len(order)), "order": [a[0] for a in order]})
        return [(self.closes, app[1]) for app in order]

    def link(self, entries: list[dict]) -> None:
        """Each application's booking (the drawn queue's entries, same people)."""
        booking = {e["person"]: e["id"] for e in entries}
        for app in self.applications:
            app[5] = booking.get(app[1])


def _lottery_sessions(plan: Plan, sessions: list) -> dict[int, _Lottery]:
    """Pick the lottery sessions, with a random stream of their own; each pulls
    1.5–3 applicants a seat (`_Lottery.pull`) where the others pull 0.6–1.25."""
    rng = random.Random(plan.seed + 17)
    found = {}
    for s in sessions:
        if not s.cancelled and rng.random() < LOTTERY_SHARE:
            found[s.id] = _Lottery(len(found) + 1, s, plan, rng)
    return found


def _insert_lotteries(conn, lotteries) -> None:
    conn.executemany(
        "insert into lotteries (id, session_id, opens_at, closes_at, first_starts_at, first_timer_seats, first_timer_priority, "
        "seed, drawn_at, drawn_by, created_at, created_by) values (?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, 'system')",
        [(lot.id, lot.session.id, lot.opens.astimezone(JST).isoformat(), lot.closes.astimezone(JST).isoformat(),
          lot.session.starts.isoformat(), lot.seed or None, _utc(lot.closes) if lot.seed else None,
          "system" if lot.seed else None, _utc(lot.opens - timedelta(minutes=30))) for lot in lotteries],
    )
    conn.executemany(
        "insert into applications (lottery_id, attendee_id, number, applied_at, created_by, result, place, booking_id, first_timer) "
        "values (?, ?, ?, ?, 'system', ?, ?, ?, ?)",
        [(lot.id, person + 1, number, _utc(at), result, place, booking, None if result is None else 1)
         for lot in lotteries for number, person, at, place, result, booking in lot.applications],
    )


def _insert_bookings(conn, rows: list[tuple]) -> None:
    conn.executemany(
        "insert into bookings (id, session_id, attendee_id, status, queued_at, offered_until, attended_at, marked_by, "
        "created_by, cancelled_at, cancel_reason, late, offered_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _cancellations_and_offers(rng: random.Random, plan: Plan, log: _Audit, s: _Session, entries: list[dict], staff: list[str]) -> None:
    """About one seated booking in twelve is cancelled before the day; each freed
    seat goes to the first waiting attendee as an offer, accepted, declined or
    left to expire (DESIGN.md §7), or still open when its deadline is ahead."""
    waiting = deque(e for e in entries if e["status"] == "waitlisted")
    for e in [e for e in entries if e["status"] == "booked"]:
        if s.cancelled or rng.random() >= 0.08:
            continue
        at = e["queued"] + (min(s.starts, plan.now) - e["queued"]) * rng.random()
        user = rng.choice(staff)
        e.update(status="cancelled", cancelled_at=_utc(at), cancel_reason=rng.choice(CANCEL_REASONS))
        log.add(_utc(at), user, "cancel", "bookings", e["id"], {"from": "booked", "to": "cancelled", "changed": ["cancel_reason"]})
        while waiting:
            nxt = waiting.popleft()
            if nxt["queued"] > at:
                waiting.appendleft(nxt)
                break
            until = min(at + timedelta(hours=48), s.starts)
            nxt.update(offered_at=_utc(at), offered_until=_utc(until))
            log.add(_utc(at), user, "offer", "bookings", nxt["id"], {"from": "waitlisted", "to": "offered", "offered_until": _utc(until)})
            if until > plan.now:
                nxt["status"] = "offered"
                break
            outcome = rng.random()
            answered = at + (until - at) * rng.random()
            if outcome < 0.6:
                nxt.update(status="booked", offered_until=None)
                log.add(_utc(answered), user, "offer_accepted", "bookings", nxt["id"], {"from": "offered", "to": "booked"})
                break
            if outcome < 0.85:
                nxt.update(status="cancelled", cancelled_at=_utc(answered), cancel_reason="繰り上げを辞退")
                log.add(_utc(answered), user, "offer_declined", "bookings", nxt["id"], {"from": "offered", "to": "cancelled"})
            else:
                nxt.update(status="cancelled", cancelled_at=_utc(until), cancel_reason="繰り上げの期限切れ")
                log.add(_utc(until), "system", "offer_expired", "bookings", nxt["id"], {"from": "offered", "to": "cancelled"})
            at = answered


def _attendance(rng: random.Random, plan: Plan, log: _Audit, s: _Session, entries: list[dict], staff: list[str]) -> None:
    """Marks of a held session: most attend (a few late), some are absent, and a
    few seats are never marked (they stay booked)."""
    marker = rng.choice(staff)
    for e in entries:
        if e["status"] != "booked":
            continue
        roll = rng.random()
        at = min(s.starts + timedelta(minutes=rng.uniform(-20, 60)), plan.now)
        if roll < 0.84:
            late = int(rng.random() < 0.06)
            e.update(status="attended", late=late, marked_by=marker, attended_at=_utc(at))
            log.add(_utc(at), marker, "attendance", "bookings", e["id"], {"from": "booked", "to": "attended", "mark": "late" if late else "attended"})
        elif roll < 0.93:
            e.update(status="absent", marked_by=marker, attended_at=_utc(at))
            log.add(_utc(at), marker, "attendance", "bookings", e["id"], {"from": "booked", "to": "absent", "mark": "absent"})


# 受講後アンケート: the share of held sessions whose sheets were keyed in, the share
# of those present who handed one in, and how answers fall (5 first).
SURVEYED_SESSIONS, RESPONSE_RATE, NAMED_RATE, COMMENT_RATE, BLANK_RATE = 0.6, 0.75, 0.25, 0.2, 0.03
UNDERSTANDING = ((5, 34), (4, 41), (3, 16), (2, 7), (1, 2))
SATISFACTION = ((5, 46), (4, 38), (3, 12), (2, 3), (1, 1))
WISHES_PER_SHEET = ((0, 40), (1, 35), (2, 18), (3, 7))
SURVEY_COMMENTS = ("ゆっくり教えてもらえてよかった", "もう一度受けたい", "字が大きくて読みやすかった", "家でも練習します",
                   "説明が少し早かった", "LINEの続きを知りたい", "講師の方が親切でした")


def _surveys(conn, rng: random.Random, plan: Plan, log: _Audit, staff: list[str]) -> None:
    """受講後アンケート sheets of held sessions, as staff key them the day after:
    most attendees answer, a quarter write their name, applied lessons are
    wanted next more often; one audit row per session's pile."""
    lesson_ids = list(lessons.catalogue())
    wanted = [2.0 if lessons.catalogue()[lid].level == "応用" else 1.0 for lid in lesson_ids]
    present: dict[int, list[int]] = {}
    starts: dict[int, str] = {}
    for session_id, starts_at, attendee_id in conn.execute(
        "select s.id, s.starts_at, b.attendee_id from sessions s join bookings b on b.session_id = s.id "
        "where s.status != 'cancelled' and s.starts_at < ? and b.status = 'attended' order by s.id, b.id",
        [(plan.now - timedelta(days=1)).isoformat()],
    ):
        present.setdefault(session_id, []).append(attendee_id)
        starts[session_id] = starts_at
    sheets, wishes = [], []
    survey_id = 0
    for session_id, people in present.items():
        if rng.random() >= SURVEYED_SESSIONS:
            continue
        keyed = _utc(min(datetime.fromisoformat(starts[session_id]) + timedelta(days=1, hours=rng.uniform(0, 6)), plan.now))
        user = rng.choice(staff)
        answered = [p for p in people if rng.random() < RESPONSE_RATE]
        named = 0
        for person in answered:
            survey_id += 1
            who = person if rng.random() < NAMED_RATE else None
            named += who is not None
            levels = [None if rng.random() < BLANK_RATE else _pick(rng, table) for table in (UNDERSTANDING, SATISFACTION)]
            comment = rng.choice(SURVEY_COMMENTS) if rng.random() < COMMENT_RATE else ""
            sheets.append((survey_id, session_id, who, *levels, comment, keyed, user))
            for lesson_id in set(rng.choices(lesson_ids, wanted, k=_pick(rng, WISHES_PER_SHEET))):
                wishes.append((survey_id, lesson_id))
        if answered:
            log.add(keyed, user, "enter_surveys", "sessions", session_id, {"sheets": len(answered), "named": named})
    conn.executemany(
        "insert into surveys (id, session_id, attendee_id, understanding, satisfaction, comment, entered_at, entered_by) "
        "values (?, ?, ?, ?, ?, ?, ?, ?)", sheets)
    conn.executemany("insert into survey_wishes (survey_id, lesson_id) values (?, ?)", sorted(wishes))


def _shifts(conn, rng: random.Random, plan: Plan, log: _Audit, sessions: list[_Session], staff: list[str]) -> None:
    """A lead for most sessions and about one helper each, from the venue's own
    volunteers; a few removed, a few with corrected minutes."""
    by_venue: dict[int, list[int]] = {}
    for volunteer_id, in conn.execute("select id from volunteers order by id"):
        by_venue.setdefault((volunteer_id - 1) % plan.breadth(VENUES) + 1, []).append(volunteer_id)
    rows, shift_id = [], 0
    for s in sessions:
        pool = by_venue.get(s.venue_id) or [1]
        ahead = (s.starts - plan.now).days
        lead = rng.random() < (0.92 if ahead < 30 else 0.6)
        helpers = min(s.helpers_needed, sum(rng.random() < 0.37 for _ in range(3)))
        people = rng.sample(pool, min(len(pool), int(lead) + helpers))
        for n, volunteer_id in enumerate(people):
            shift_id += 1
            role = "lead" if lead and n == 0 else "helper"
            at = s.created + (min(s.starts, plan.now) - s.created) * rng.uniform(0.05, 0.6)
            user = rng.choice(staff)
            removed = rng.random() < 0.03
            minutes = (s.ends - s.starts) // timedelta(minutes=1) + 30 if rng.random() < 0.05 else None
            rows.append((shift_id, s.id, volunteer_id, role, "removed" if removed else "assigned", minutes))
            log.add(_utc(at), user, "assign", "shifts", shift_id, {"session_id": s.id, "volunteer_id": volunteer_id, "role": role})
            if removed:
                log.add(_utc(at + timedelta(days=1)), user, "remove", "shifts", shift_id, {})
            if minutes is not None:
                log.add(_utc(min(s.ends + timedelta(days=1), plan.now)), user, "update", "shifts", shift_id, {"minutes": minutes})
    conn.executemany("insert into shifts (id, session_id, volunteer_id, role, status, minutes) values (?, ?, ?, ?, ?, ?)", rows)


def _tickets(conn, rng: random.Random, plan: Plan, log: _Audit, attendee_created: list[str], staff: list[str], user_ids: list[int]) -> None:
    """Help-desk cases on working days, numbered per fiscal year; old ones mostly
    resolved or closed, recent ones still open or on hold."""
    start = plan.now - timedelta(days=plan.years * 365.25 - AHEAD_DAYS)
    days = _working_days(start.date(), plan.now.date() - timedelta(days=1))
    venues = plan.breadth(VENUES)
    categories, channels = list(CATEGORIES), [c for c, _w in CHANNELS]
    opened = sorted(
        datetime.combine(rng.choice(days), time(9), tzinfo=JST) + timedelta(minutes=rng.randint(0, 8 * 60))
        for _ in range(plan.count(TICKETS))
    )
    registered = sorted((at, i + 1) for i, at in enumerate(attendee_created))
    registered_at = [at for at, _i in registered]
    tickets, events, sequence = [], [], {}
    for ticket_id, at in enumerate(opened, start=1):
        year = fiscal_year_of(at.date())
        sequence[year] = sequence.get(year, 0) + 1
        user_index = rng.randrange(len(staff))
        user = staff[user_index]
        known = bisect.bisect_left(registered_at, _utc(at))
        attendee = registered[rng.randrange(known)][1] if known and rng.random() < 0.4 else None
        category = rng.choices(categories, CATEGORY_WEIGHTS)[0]
        channel = rng.choices(channels, [w for _c, w in CHANNELS])[0]
        minutes = rng.choice((10, 15, 20, 30, 30, 45, 60))
        age = (plan.now - at).days
        roll = rng.random()
        if age > 60:
            # Old cases are settled: the open queue holds recent ones only, so its
            # length does not grow with the years of history.
            path = ["resolved"] if roll < 0.55 else ["resolved", "closed"] if roll < 0.82 else ["referred"] if roll < 0.9 \
                else ["referred", "closed"]
        else:
            path = [] if roll < 0.1 else ["in_progress"] if roll < 0.22 else ["on_hold"] if roll < 0.37 \
                else ["resolved"] if roll < 0.75 else ["referred"] if roll < 0.87 else ["resolved", "closed"]
        stamp = at + timedelta(minutes=minutes)
        events.append((ticket_id, _utc(at), user, None, "new", minutes))
        log.add(_utc(at), user, "create", "tickets", ticket_id,
                {"number": f"{year}-{sequence[year]:04d}", "channel": channel, "category": category, "anonymous": attendee is None, "minutes": minutes})
        status, follow_up, referral, closed, resolution = "new", None, "", None, ""
        for to in path:
            stamp = min(stamp + timedelta(days=rng.uniform(0, 10)), plan.now - timedelta(minutes=1))
            events.append((ticket_id, _utc(stamp), user, status, to, 0))
            detail = {"from": status, "to": to, "minutes": 0}
            if to == "on_hold":
                follow_up = (stamp.date() + timedelta(days=rng.randint(3, 30))).isoformat()
                detail["follow_up_on"] = follow_up
            if to == "referred":
                referral = _pick(rng, REFERRALS)
                detail["referral_to"] = referral
            if to in ("resolved", "referred"):
                resolution = to
            if to == "closed":
                closed = _utc(stamp)
            log.add(_utc(stamp), user, "status", "tickets", ticket_id, detail)
            status = to
        tickets.append((ticket_id, f"{year}-{sequence[year]:04d}", _utc(at), rng.randint(1, venues), channel, attendee,
                        rng.choice(("70代", "80代", "60代")) if attendee is None else "", rng.choice(("iPhone", "Android"))
                        if attendee is None else "", category, CATEGORIES[category], status, follow_up,
                        user_ids[user_index] if rng.random() < 0.7 else None, minutes, referral, resolution, user, _utc(stamp), closed))
    conn.executemany(
        "insert into tickets (id, number, opened_at, venue_id, channel, attendee_id, age_band, device, category, summary, "
        "status, follow_up_on, assignee_id, minutes, referral_to, resolution, created_by, updated_at, closed_at) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", tickets)
    conn.executemany("insert into ticket_events (ticket_id, at, user, from_status, to_status, minutes) values (?, ?, ?, ?, ?, ?)", events)
    conn.execute("update tickets set age_band = (select age_band from attendees a where a.id = attendee_id), "
                 "device = (select device from attendees a where a.id = attendee_id) where attendee_id is not null")


# Loan phones (貸出機, issue 17): what a venue keeps, the share of classes taught on
# iPhone, how far ahead staff allocate, and the share of phones not brought back.
LOAN_PHONES = (("iPhone", 5), ("Android", 3))
LOAN_IPHONE_SHARE = 0.55
LOAN_AHEAD_DAYS = 3
NOT_RETURNED_SHARE = 0.01
NOT_RETURNED_DAYS = 30


def _loans(conn, rng: random.Random, plan: Plan, log: _Audit, sessions: list[_Session], staff: list[str]) -> None:
    """Each venue's loan phones, and the loans `db.loans.allocate` would have left:
    a phone of the session's kind for each seated attendee recorded with no phone
    (「なし」) in a session not cancelled, from `LOAN_AHEAD_DAYS` before it, never one
    phone in two overlapping sessions, none when the venue has run out (left
    unassigned); absent attendees borrowed nothing. Returns are recorded for the
    classes attended; a few recent ones are 未返却, and such a phone stays out."""
    first = _utc(sessions[0].created)
    phones: dict[int, list[tuple[int, str]]] = {}
    rows, phone_id = [], 0
    for (venue_id,) in conn.execute("select id from venues order by id").fetchall():
        for kind, count in LOAN_PHONES:
            for n in range(1, count + 1):
                phone_id += 1
                label = f"{kind}-{n}"
                rows.append((phone_id, venue_id, kind, label, label.casefold(), "available", first))
                phones.setdefault(venue_id, []).append((phone_id, kind))
                log.add(first, rng.choice(staff), "create", "loan_phones", phone_id, {"venue_id": venue_id, "kind": kind, "label": label})
    conn.executemany(
        "insert into loan_phones (id, venue_id, kind, label, label_key, status, created_at) values (?, ?, ?, ?, ?, ?, ?)", rows)
    by_id = {s.id: s for s in sessions}
    horizon = plan.now + timedelta(days=LOAN_AHEAD_DAYS)
    needing: dict[int, list[tuple[int, str]]] = {}
    for booking_id, session_id, status in conn.execute(
        "select b.id, b.session_id, b.status from bookings b join attendees a on a.id = b.attendee_id "
        "where a.device = 'なし' and b.status in ('booked', 'offered', 'attended') order by b.session_id, b.queued_at, b.id"
    ):
        s = by_id[session_id]
        if not s.cancelled and s.starts < horizon:
            needing.setdefault(session_id, []).append((booking_id, status))
    busy: dict[int, datetime] = {}
    out: set[int] = set()
    loans = []
    for session_id in sorted(needing, key=lambda i: (by_id[i].starts, i)):
        s, people = by_id[session_id], needing[session_id]
        kind = "iPhone" if rng.random() < LOAN_IPHONE_SHARE else "Android"
        free = [p for p, k in phones[s.venue_id] if k == kind and p not in out and busy.get(p, s.starts) <= s.starts]
        lent = list(zip(people, free))
        if not lent:
            continue
        assigned = min(s.starts - timedelta(days=rng.uniform(0.5, LOAN_AHEAD_DAYS)), plan.now - timedelta(minutes=10))
        user = rng.choice(staff)
        log.add(_utc(assigned), user, "allocate", "sessions", session_id, {"kind": kind, "phones": len(lent)})
        for (booking_id, status), phone in lent:
            busy[phone] = s.ends
            returned, returned_at, returned_by = "", None, None
            if status == "attended" and s.ends <= plan.now:
                recent = s.ends >= plan.now - timedelta(days=NOT_RETURNED_DAYS)
                returned = "not_returned" if recent and rng.random() < NOT_RETURNED_SHARE else "returned"
                returned_at, returned_by = _utc(s.ends), rng.choice(staff)
                if returned == "not_returned":
                    out.add(phone)
                log.add(returned_at, returned_by, "return", "loans", booking_id, {"session_id": session_id, "to": returned})
            loans.append((booking_id, phone, _utc(assigned), user, returned, returned_at, returned_by))
    conn.executemany(
        "insert into loans (booking_id, phone_id, assigned_at, assigned_by, returned, returned_at, returned_by) "
        "values (?, ?, ?, ?, ?, ?, ?)", loans)


def _accounts(conn, rng: random.Random, plan: Plan, log: _Audit) -> None:
    """The accounts the benchmarks sign in with, and this year's outcome targets.
    The volunteer account belongs to the volunteer with the most shifts ahead."""
    stamp = _utc(plan.now - timedelta(days=plan.years * 365.25 - AHEAD_DAYS + 30))
    busiest = conn.execute(
        "select h.volunteer_id from shifts h join sessions s on s.id = h.session_id where s.starts_at > ? "
        "and h.status = 'assigned' group by 1 order by count(*) desc, 1 limit 1", [plan.now.isoformat()]).fetchone()
    for role, (username, password) in ACCOUNTS.items():
        volunteer_id = (busiest[0] if busiest else 1) if role == "volunteer" else None
        user_id = conn.execute(
            "insert into users (username, password_hash, role, volunteer_id, email, active, failed_logins, created_at) "
            "values (?, ?, ?, ?, '', 1, 0, ?)", [username, _hash(password, plan.seed), role, volunteer_id, stamp]).lastrowid
        log.add(stamp, "admin", "create", "users", user_id, {"username": username, "role": role, "volunteer_id": volunteer_id})
    year = fiscal_year_of(plan.now.date())
    per_year = plan.count(SESSIONS) / plan.years
    for metric, value in (("sessions_held", per_year), ("attendances", per_year * 8), ("tickets", plan.count(TICKETS) / plan.years)):
        conn.execute("insert into targets (fiscal_year, metric, value, updated_at, updated_by) values (?, ?, ?, ?, 'bench-admin')",
                     [year, metric, round(value), stamp])


GROUP_KINDS = (("neighbourhood", 45), ("salon", 25), ("seniors_club", 15), ("club", 10), ("other", 5))
GROUP_SUFFIXES = {"neighbourhood": "丁目自治会", "salon": "丁目ふれあいサロン", "seniors_club": "丁目老人クラブ", "club": "丁目スマホ同好会",
                  "other": "丁目見守りの会"}
WITHDRAW_REASONS = ("会場の都合がつかなくなった", "参加者が集まらなかった", "団体の行事と重なった", "先方の都合")


def _outreach(conn, plan: Plan, log: _Audit, staff: list[str]) -> None:
    """出前講座・出張相談 requests, as db.outreach leaves them: a place (an outreach
    venue with one room) per group; each request received a few weeks ahead, then
    arranged, decided (a session with a lead and helpers), held and reported, or
    withdrawn on the way. Requests of the last weeks are still open. A random
    generator of its own keeps every other row of the data set as it was."""
    rng = random.Random(f"{plan.seed}:outreach")
    start = plan.now - timedelta(days=plan.years * 365.25 - AHEAD_DAYS)
    founded = _utc(start - timedelta(days=30))
    venue_id = conn.execute("select max(id) from venues").fetchone()[0] or 0
    room_id = conn.execute("select max(id) from rooms").fetchone()[0] or 0
    session_id = conn.execute("select max(id) from sessions").fetchone()[0] or 0
    shift_id = conn.execute("select max(id) from shifts").fetchone()[0] or 0
    volunteers = [v for (v,) in conn.execute("select id from volunteers where active = 1 order by id")]
    groups = []
    for g in range(plan.breadth(OUTREACH_GROUPS)):
        venue_id += 1
        room_id += 1
        town, block = TOWNS[g % len(TOWNS)], g // len(TOWNS) + 1
        kind = _pick(rng, GROUP_KINDS)
        conn.execute("insert into venues (id, name, address, phone, outreach) values (?, ?, ?, '', 1)",
                     [venue_id, f"{town}{block}丁目集会所", f"東京都みどり台市{town}{block}-{g % 9 + 1}-1"])
        conn.execute("insert into rooms (id, venue_id, name, seats) values (?, ?, '会場', 200)", [room_id, venue_id])
        log.add(founded, rng.choice(staff), "create", "venues", venue_id, {"outreach": 1, "room_id": room_id})
        groups.append((venue_id, room_id, f"{town}{block}{GROUP_SUFFIXES[kind]}", kind))
    catalogue = lessons.catalogue()
    basics = [lid for lid in catalogue if lid.startswith(("phone-", "line-", "myna"))] or list(catalogue)
    requests, sessions, shifts = [], [], []
    for n in range(1, plan.count(OUTREACH_REQUESTS) + 1):
        place, room, group, group_kind = rng.choice(groups)
        kind = "consult" if rng.random() < 0.3 else "lecture"
        received = start + timedelta(days=rng.uniform(0, (plan.now - start).days))
        day = (received + timedelta(days=rng.randint(21, 60))).date()
        while day.weekday() == 6 or jpholiday.is_holiday(day):
            day += timedelta(days=1)
        starts = datetime.combine(day, time(13, 30), tzinfo=JST)
        arranged = received + timedelta(days=rng.uniform(1, 5))
        decided = arranged + timedelta(days=rng.uniform(1, 9))
        events = [("arranging", arranged), ("decided", decided), ("held", starts + timedelta(hours=2)),
                  ("reported", starts + timedelta(days=rng.uniform(1, 10)))]
        if rng.random() < 0.12:
            withdrawn = received + (min(starts, plan.now) - received) * rng.uniform(0.2, 0.9)
            events = [e for e in events[:2] if e[1] < withdrawn] + [("withdrawn", withdrawn)]
        events = [e for e in events if e[1] < plan.now]
        status = events[-1][0] if events else "received"
        expected = rng.choice((6, 8, 10, 12, 12, 15, 15, 20, 25, 30))
        iphone = rng.randint(0, expected // 2)
        android = rng.randint(0, expected - iphone)
        lesson_id = rng.choice(basics)
        user = rng.choice(staff)
        log.add(_utc(received), user, "create", "outreach_requests", n,
                {"kind": kind, "group_kind": group_kind, "venue_id": place, "expected": expected, "loan_phones": expected // 6,
                 "preferred_dates": 2})
        session, previous = None, "received"
        for step, moment in events:
            if step == "decided":
                session_id += 1
                session = session_id
                sessions.append([session, lesson_id, room, starts.isoformat(), (starts + timedelta(minutes=90)).isoformat(),
                                 expected, math.ceil(expected / 4), "scheduled", "", _utc(moment), None])
                log.add(_utc(moment), user, "create", "sessions", session,
                        {"lesson_id": lesson_id, "room_id": room, "starts_at": starts.isoformat(), "capacity": expected})
                for k, volunteer_id in enumerate(rng.sample(volunteers, min(len(volunteers), rng.randint(1, 3)))):
                    shift_id += 1
                    role = "lead" if k == 0 else "helper"
                    shifts.append((shift_id, session, volunteer_id, role, "assigned", None))
                    log.add(_utc(moment), user, "assign", "shifts", shift_id, {"session_id": session, "volunteer_id": volunteer_id, "role": role})
            if step == "withdrawn" and session is not None:
                sessions[-1][7:] = ["cancelled", "", sessions[-1][9], "先方の都合"]
                log.add(_utc(moment), user, "cancel", "sessions", session, {"changed": ["status", "cancel_reason"]})
            log.add(_utc(moment), user, "status", "outreach_requests", n, {"from": previous, "to": step})
            previous = step
        actual = max(1, expected + rng.randint(-4, 2)) if status == "reported" else None
        last = events[-1][1] if events else received
        requests.append((
            n, kind, group, group_kind, f"{rng.choice(SURNAMES)[0]}\u3000{rng.choice(GIVEN_NAMES)[0]}",
            f"090-0{n // 10000:03d}-{n % 10000:04d}", f"0900{n // 10000:03d}{n % 10000:04d}", place,
            json.dumps([(received + timedelta(days=d)).date().isoformat() for d in (28, 35)]), expected, iphone, android, 0,
            expected // 6, lesson_id, "", status, session, actual, "全員が最後まで参加した。" if actual else "",
            rng.choice(WITHDRAW_REASONS) if status == "withdrawn" else None, received.astimezone(JST).date().isoformat(),
            last.astimezone(JST).date().isoformat(), _utc(received), user,
        ))
    conn.executemany(
        "insert into sessions (id, lesson_id, room_id, starts_at, ends_at, capacity, helpers_needed, status, note, "
        "created_at, cancel_reason) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", sessions)
    conn.executemany("insert into shifts (id, session_id, volunteer_id, role, status, minutes) values (?, ?, ?, ?, ?, ?)", shifts)
    conn.executemany(
        "insert into outreach_requests (id, kind, group_name, group_kind, contact_name, contact_phone, contact_phone_digits, "
        "venue_id, preferred_dates, expected, iphone, android, other_devices, loan_phones, lesson_id, notes, status, "
        "session_id, actual_participants, report, withdraw_reason, received_on, activity_on, created_at, created_by) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", requests)


def digest(path: Path | str) -> str:
    """SHA-256 over every row of every table (migration stamps left out): equal
    for two builds with the same arguments."""
    h = hashlib.sha256()
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table' order by name")]
        for table in tables:
            if table.startswith("_sqlite_migrations") or table.startswith("sqlite_"):
                continue
            h.update(table.encode())
            for row in conn.execute(f"select * from [{table}] order by rowid"):
                h.update(repr(row).encode())
    finally:
        conn.close()
    return h.hexdigest()
