"""bench/RESULTS.md: the latest full run as tables (1× judged, 4× beside it)."""

from __future__ import annotations

from bench.harness import ROOT, Result

TARGET = ROOT / "bench" / "RESULTS.md"
TITLES = {
    "pages": "Page script run (AppTest, median, every `st.cache_data` cleared before each sample)",
    "growth": "Growth of window pages (median of the 1× ÷ 0.25× history ratios of samples taken in turns)",
    "browser": "Browser: menu click → content shown (chromium, one session)",
    "printouts": "Printouts",
    "booking": "Booking",
    "race": "Race for the last seats",
    "cold_start": "Cold start",
    "memory": "Memory",
}


def _figure(r: Result | None) -> str:
    if r is None:
        return "—"
    return "not measured" if r.figure is None else f"{r.figure:,g} {r.unit}".strip()


def _verdict(r: Result | None) -> str:
    return "—" if r is None else f"**{r.verdict()}**" if r.passed is False else r.verdict()


def write(payload: dict, results: list[Result]) -> None:
    """Write bench/RESULTS.md from one full run's payload and results."""
    m = payload["machine"]
    lines = [
        "# Benchmark results (`make bench`)",
        "",
        f"Latest full run: {payload['started']} ({payload['minutes']} min), {payload['samples']} samples per figure, medians.",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; Python {m['python']}, SQLite {m['sqlite']}, "
        f"Streamlit {m['streamlit']}.",
        f"Load average (1, 5, 15 min) before: {', '.join(f'{x:.1f}' for x in m['load_before'])}; after: "
        f"{', '.join(f'{x:.1f}' for x in m['load_after'])}. The 2 cores are shared with other sessions: a load above 2 "
        "means the bench waited for the CPU, and every figure here is slower than on a quiet machine.",
        "",
        "## Data sets",
        "",
        "| set | venues | sessions | attendees | bookings | shifts | tickets | audit rows | file | built in |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for label, meta in payload["datasets"].items():
        c = meta["counts"]
        lines.append(f"| {label} ({meta['years']:g} years) | {c['venues']:,} | {c['sessions']:,} | {c['attendees']:,} | {c['bookings']:,} | "
                     f"{c['shifts']:,} | {c['tickets']:,} | {c['audit_log']:,} | {meta['bytes'] / 1e6:,.0f} MB | {meta['build_s']:g} s |")
    floors = [r for r in results if r.group == "floors"]
    lines += ["", "## Floors (same run)", "", "| floor | median |", "|---|--:|"]
    lines += [f"| {r.name} | {_figure(r)} |" for r in floors]
    for group, title in TITLES.items():
        rows = [r for r in results if r.group == group and r.scale == "1x"]
        if not rows:
            continue
        lines += ["", f"## {title}", "", "| what | 1× | target | 1× verdict | 4× | 4× verdict | note |", "|---|--:|--:|:-:|--:|:-:|---|"]
        for r in rows:
            big = next((x for x in results if x.group == group and x.name == r.name and x.scale == "4x"), None)
            note = r.note if r.passed is not False or r.figure is not None else r.note[:160]
            if big is not None and big.passed is False and big.figure is None:
                note += f" (4×: {big.note[:120]})"
            lines.append(f"| {r.name} | {_figure(r)} | {r.goal} | {_verdict(r)} | {_figure(big)} | {_verdict(big)} | {note} |")
    failures = [r for r in results if r.passed is False and r.scale == "1x"]
    lines += ["", f"Targets failed at 1×: {len(failures)}." if failures else "", "Every target passed at 1×." if not failures else "",
              "", "See bench/SCALING.md for what the 4× column means and what would move first."]
    TARGET.write_text("\n".join(line for line in lines if line is not None) + "\n")
