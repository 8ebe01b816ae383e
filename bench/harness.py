"""What every benchmark shares: medians of samples, verdicts against the
DESIGN.md §10 targets, the cached data sets, servers on free ports, the report.

A figure is a median of at least `MIN_SAMPLES` samples. Floors (raw INSERT, a
bare reportlab page, a hello-world Streamlit script) are measured in the same run,
so a ratio to its floor says how much of a figure is this app and how much is the
machine at that moment (2 cores, shared).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
MIN_SAMPLES = 5
# A cached data set older than this is built again: its "three months ahead"
# and "today" would drift from the clock the app reads.
STALE_AFTER = timedelta(days=14)


def median_of(samples: list[float]) -> float:
    """The median; refuses fewer than `MIN_SAMPLES` samples.

    Raises:
        ValueError: too few samples.
    """
    if len(samples) < MIN_SAMPLES:
        raise ValueError(f"{len(samples)} samples, at least {MIN_SAMPLES} needed")
    return statistics.median(samples)


def paired_ratio(numerators: list[float], denominators: list[float]) -> float:
    """The median of numerators[i] / denominators[i]: for samples taken in turns,
    each pair a moment apart, so a burst of load on the shared machine lands on
    both sides of a pair instead of on one side of a ratio of medians.

    Raises:
        ValueError: fewer than `MIN_SAMPLES` pairs.
    """
    return median_of([a / b for a, b in zip(numerators, denominators)])


def sample(fn: Callable[[], object], n: int, before: Callable[[], object] | None = None) -> list[float]:
    """Run `fn` n times; milliseconds each (`before` runs untimed before each)."""
    times = []
    for _ in range(n):
        if before:
            before()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


@dataclass
class Result:
    """One judged figure.

    group: section of the report ("pages", "growth", "browser", …).
    name: what was measured (a page key, "booking", …). figure: the median, in `unit`.
    goal: the target as text; passed: None for a figure with no target (a floor,
    or the 4× headroom column). scale: "1x", "0.25x" or "4x".
    """

    group: str
    name: str
    figure: float | None
    unit: str
    goal: str
    passed: bool | None
    scale: str = "1x"
    note: str = ""
    samples: list[float] = field(default_factory=list)

    def verdict(self) -> str:
        return "—" if self.passed is None else "PASS" if self.passed else "FAIL"


def at_most(group: str, name: str, samples: list[float], limit: float, unit: str, scale: str = "1x", note: str = "") -> Result:
    """A result whose median must be ≤ limit."""
    figure = median_of(samples)
    return Result(group, name, round(figure, 2), unit, f"≤ {limit:g} {unit}", figure <= limit, scale, note, [round(s, 2) for s in samples])


def at_least(group: str, name: str, samples: list[float], limit: float, unit: str, scale: str = "1x", note: str = "") -> Result:
    """A result whose median must be ≥ limit."""
    figure = median_of(samples)
    return Result(group, name, round(figure, 1), unit, f"≥ {limit:g} {unit}", figure >= limit, scale, note, [round(s, 1) for s in samples])


def failed(group: str, name: str, goal: str, why: str, scale: str = "1x") -> Result:
    """A target that could not be measured counts as failed, with the reason."""
    return Result(group, name, None, "", goal, False, scale, why)


# ---------------------------------------------------------------- data sets


@dataclass(frozen=True)
class DataSet:
    """A cached data set: scale (breadth) × years of history."""

    label: str
    scale: float
    years: float

    @property
    def path(self) -> Path:
        return DATA / f"city-{self.label}.sqlite3"

    @property
    def meta(self) -> Path:
        return DATA / f"city-{self.label}.json"


CITY = DataSet("1x", 1.0, 10.0)
QUARTER_HISTORY = DataSet("0.25x", 1.0, 2.5)
PREFECTURE = DataSet("4x", 4.0, 10.0)


def ensure(data: DataSet, log: Callable[[str], None] = print) -> dict:
    """Build the data set unless a fresh one of this generator version is cached.

    Returns:
        its metadata: counts, "now" it was built around, build seconds, bytes.
    """
    from bench import dataset

    if data.path.exists() and data.meta.exists():
        meta = json.loads(data.meta.read_text())
        built_for = datetime.fromisoformat(meta["counts"]["now"])
        if meta.get("version") == dataset.VERSION and abs(_now() - built_for) < STALE_AFTER:
            return meta
    DATA.mkdir(parents=True, exist_ok=True)
    log(f"building data set {data.label} (scale {data.scale:g}, {data.years:g} years) …")
    start = time.perf_counter()
    counts = dataset.build(data.path, data.scale, data.years)
    meta = {"version": dataset.VERSION, "scale": data.scale, "years": data.years, "counts": counts,
            "build_s": round(time.perf_counter() - start, 1), "bytes": data.path.stat().st_size}
    data.meta.write_text(json.dumps(meta, ensure_ascii=False, indent=2))
    log(f"  built in {meta['build_s']} s: {counts}")
    return meta


def _now() -> datetime:
    from db.clock import now_jst

    return now_jst()


def working_copy(data: DataSet, directory: Path) -> Path:
    """A copy of the cached file to write to (the cache stays as built), migrated
    to the current schema as the app would on start."""
    import db

    target = directory / data.path.name
    shutil.copyfile(data.path, target)
    db.init_db(target)
    return target


# ---------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerDied(RuntimeError):
    """The server process ended, or did not answer in time."""


@contextlib.contextmanager
def server(script: str, db_file: Path | None, timeout_s: float = 30.0, cwd: Path = ROOT) -> Iterator[tuple[str, subprocess.Popen, float]]:
    """`streamlit run script` on a free port; yields (base URL, process, seconds
    until /_stcore/health answered ok).

    Raises:
        ServerDied: the child exited, or no answer within `timeout_s`.
    """
    port = free_port()
    env = {**os.environ}
    if db_file is not None:
        env["SUMAHO_DB"] = str(db_file)
    started = time.perf_counter()
    # stderr to a file: an unread pipe fills up during a long run and stops the server.
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise ServerDied(f"server exited with {proc.returncode}: {log.read().decode(errors='replace')[-500:]}")
            if time.perf_counter() - started > timeout_s:
                raise ServerDied(f"no health answer within {timeout_s:g} s")
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as response:
                    if response.read() == b"ok":
                        break
            except OSError:
                time.sleep(0.02)
        yield url, proc, time.perf_counter() - started
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def rss_mb(pid: int) -> tuple[float, float]:
    """(current RSS, peak RSS) of a process in MB, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _sep, value = line.partition(":")
        fields[key] = value
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


# ---------------------------------------------------------------- the report


def machine() -> dict:
    """What the figures were measured on, and how busy it was."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    import streamlit

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory / 1024 / 1024, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "streamlit": streamlit.__version__,
        "load": os.getloadavg(),
    }


def write_json(payload: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"{time.strftime('%Y%m%d-%H%M%S')}.json"
    target.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    return target


def as_json(results: list[Result]) -> list[dict]:
    return [asdict(r) for r in results]


def table(results: list[Result]) -> str:
    """The console table: group, name, figure, goal, verdict, note."""
    lines = []
    for r in results:
        figure = "—" if r.figure is None else f"{r.figure:g} {r.unit}".strip()
        lines.append(f"{r.group:9} {r.scale:6} {r.name:28} {figure:>14}  {r.goal:>16}  {r.verdict():4}  {r.note}")
    return "\n".join(lines)
