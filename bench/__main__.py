"""``make bench``: sovereign against the floor, at one municipality, a region and the whole country.

For each synthetic inventory (see ``bench.generate``) it runs ``sovereign audit`` and the floor script
(``bench.floor``: pandas read, a networkx graph of the same size, one walk per application, one plotly page)
in turns, each in a fresh process, and keeps the best of the runs (the machine is shared, so the quickest run
is the one least disturbed). Wall time and peak memory (the process's maximum resident set) come from
``os.wait4``. It also times ``sovereign --help`` against a bare ``python -c "import click"``.

The targets are ratios measured in this one run, never absolute times. The exit code is 1 when one is missed.

    python -m bench [--sizes 500,10000,150000] [--runs 3] [--out build/bench]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GIB = 1024**3

#: rows -> organisations: one municipality, a region (a province's worth), and every municipality.
ORGANISATIONS = {500: 1, 10_000: 23, 75_000: 171, 150_000: 342}
#: rows -> the most sovereign may take, as a multiple of the floor (issue 8).
TARGET = {500: 1.5, 150_000: 2.0}
HELP_TARGET = 4.0
MEMORY_TARGET = 1 * GIB


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_bytes: int


def measure(command: list[str], *, log: Path) -> Run:
    """Run ``command`` in a fresh process; its wall time and peak resident memory. Fails loudly."""
    with log.open("wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"bench: {' '.join(command)} exited {process.returncode}; see {log}")
    return Run(seconds=seconds, peak_bytes=usage.ru_maxrss * 1024)


def best(runs: list[Run]) -> Run:
    return Run(seconds=min(r.seconds for r in runs), peak_bytes=max(r.peak_bytes for r in runs))


def sovereign_command() -> list[str]:
    script = Path(sys.executable).with_name("sovereign")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sovereign"]


def bench_help(runs: int, work: Path) -> dict[str, float]:
    click_runs, help_runs = [], []
    for _ in range(runs):
        click_runs.append(measure([sys.executable, "-c", "import click"], log=work / "click.log"))
        help_runs.append(measure([*sovereign_command(), "--help"], log=work / "help.log"))
    click, help_ = best(click_runs), best(help_runs)
    return {
        "click_seconds": click.seconds,
        "help_seconds": help_.seconds,
        "ratio": help_.seconds / click.seconds,
    }


_GRAPH = re.compile(rb'"graph":\{"edges":(\d+),"nodes":(\d+)\}')


def graph_size(audit_json: Path) -> dict[str, int]:
    """The ``graph`` figures of an audit.json, found without loading the file.

    Loading it (245 MB at 150,000 rows) would grow this process to over a gigabyte, and a child started
    with vfork inherits its parent's high-water mark (the kernel records it at exec), so every later
    measurement would report this process's peak instead of its own.
    """
    tail = b""
    with audit_json.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            found = _GRAPH.search(tail + chunk)
            if found:
                return {"edges": int(found.group(1)), "nodes": int(found.group(2))}
            tail = chunk[-64:]
    sys.exit(f"bench: {audit_json} has no graph size")


def bench_size(rows: int, runs: int, work: Path) -> dict[str, object]:
    organisations = ORGANISATIONS.get(rows, max(1, rows // 440))
    inventory = work / f"inventory-{rows}.csv"
    if not inventory.exists():  # in a process of its own, so that this one stays small (see graph_size)
        command = [sys.executable, "-m", "bench.generate", "--rows", str(rows)]
        command += ["--organisations", str(organisations), "--out", str(inventory)]
        subprocess.run(command, check=True, cwd=ROOT)
    report = work / f"report-{rows}"
    audit = [*sovereign_command(), "audit", str(inventory), "--out", str(report), "--date", "2026-11-23"]
    audit_runs, floor_runs = [], []
    size: dict[str, int] = {}
    for _ in range(runs):
        audit_runs.append(measure(audit, log=work / f"audit-{rows}.log"))
        if not size:
            size = graph_size(report / "audit.json")
        floor = [
            sys.executable,
            "-m",
            "bench.floor",
            str(inventory),
            str(work / f"floor-{rows}.html"),
            "--nodes",
            str(size["nodes"]),
            "--edges",
            str(size["edges"]),
        ]
        floor_runs.append(measure(floor, log=work / f"floor-{rows}.log"))
    ours, floor_best = best(audit_runs), best(floor_runs)
    files = {p.name: p.stat().st_size for p in sorted(report.iterdir())}
    return {
        "rows": rows,
        "organisations": organisations,
        "graph": size,
        "audit": asdict(ours),
        "floor": asdict(floor_best),
        "ratio": ours.seconds / floor_best.seconds,
        "report_bytes": files,
    }


def _mib(n: int) -> str:
    return f"{n / 1024**2:,.0f} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,10000,75000,150000")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; the best counts")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench")
    args = parser.parse_args(argv)
    work = args.out.resolve()
    work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]

    missed: list[str] = []
    help_ = bench_help(max(args.runs, 5), work)
    ok = help_["ratio"] <= HELP_TARGET
    missed += [] if ok else ["sovereign --help"]
    print(
        f"sovereign --help  {help_['help_seconds']:.3f} s   import click {help_['click_seconds']:.3f} s   "
        f"{help_['ratio']:.1f}x  (target <= {HELP_TARGET:g}x)  {'ok' if ok else 'MISSED'}"
    )
    print()
    print(
        f"{'rows':>8} {'orgs':>5} {'nodes':>8} {'edges':>8}  {'audit':>8} {'peak':>9}  {'floor':>8} {'peak':>9}  ratio"
    )
    results = []
    for rows in sizes:
        result = bench_size(rows, args.runs if rows < 100_000 else max(1, args.runs - 1), work)
        results.append(result)
        audit, floor = result["audit"], result["floor"]
        assert isinstance(audit, dict) and isinstance(floor, dict) and isinstance(result["graph"], dict)
        verdict = ""
        target = TARGET.get(rows)
        if target is not None:
            ok = result["ratio"] <= target  # type: ignore[operator]
            verdict = f"(target <= {target:g}x)  {'ok' if ok else 'MISSED'}"
            missed += [] if ok else [f"{rows} rows: time"]
        if rows >= 100_000:
            ok = audit["peak_bytes"] < MEMORY_TARGET
            verdict += f"  peak < 1 GiB {'ok' if ok else 'MISSED'}"
            missed += [] if ok else [f"{rows} rows: memory"]
        print(
            f"{rows:>8,} {result['organisations']:>5} {result['graph']['nodes']:>8,} {result['graph']['edges']:>8,}  "
            f"{audit['seconds']:>6.2f} s {_mib(audit['peak_bytes']):>9}  "
            f"{floor['seconds']:>6.2f} s {_mib(floor['peak_bytes']):>9}  {result['ratio']:.2f}x {verdict}"
        )
    print()
    # Scaling: from each size to the next, time may grow at most as fast as the rows.
    for small, large in itertools.pairwise(results):
        rows = large["rows"] / small["rows"]  # type: ignore[operator]
        grew = large["audit"]["seconds"] / small["audit"]["seconds"]  # type: ignore[index]
        ok = grew <= rows
        missed += [] if ok else [f"scaling {small['rows']} -> {large['rows']}"]
        verdict = "ok" if ok else "MISSED"
        print(
            f"scaling {small['rows']:>7,} -> {large['rows']:>7,} rows: {rows:5.1f}x rows, {grew:5.1f}x time  {verdict}"
        )
    (work / "results.json").write_text(
        json.dumps({"help": help_, "sizes": results}, indent=2) + "\n", encoding="utf-8"
    )
    print()
    print(
        f"All targets met. Figures: {work / 'results.json'}" if not missed else f"MISSED: {', '.join(missed)}"
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
