"""Where an audit's time and memory go: each phase of ``sovereign audit`` timed, with the resident memory after it
and the most it has been so far.

    python -m bench.phases INVENTORY.csv [--out DIR] [--profile FILE]

The phases are those of ``sovereign.pipeline.run_audit``, called one by one. With ``--profile`` the whole
run is also recorded by cProfile (open it with ``python -m pstats FILE``); the times then include the
profiler's own cost.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _memory_mib() -> tuple[int, int]:
    """(resident memory now, the most it has been so far) in MiB, from /proc (0 where there is none)."""
    found = {"VmRSS": 0, "VmHWM": 0}
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                name = line.split(":", 1)[0]
                if name in found:
                    found[name] = int(line.split()[1]) // 1024
    except OSError:
        pass
    return found["VmRSS"], found["VmHWM"]


def run(path: Path, out: Path) -> list[tuple[str, float, int, int]]:
    phases: list[tuple[str, float, int, int]] = []
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        phases.append((name, now - clock[0], *_memory_mib()))
        clock[0] = now

    gc.disable()  # as run_audit does
    from sovereign.catalog import load_catalog, load_policy
    from sovereign.inventory import read_inventories
    from sovereign.pipeline import assess_inventory
    from sovereign.report import _RENDERERS, write_report
    from sovereign.report._exports import load_export_messages
    from sovereign.report.translation import load_messages

    lap("import")
    catalog, policy = load_catalog(), load_policy(None)
    lap("catalog and policy")
    inventory, inputs = read_inventories([path])
    lap("read inventory")
    result = assess_inventory(
        inventory, catalog, date="2026-11-23", inputs=inputs, policy=policy, plan_effort="high", on_phase=lap
    )
    messages = load_export_messages(load_messages("nl"))  # as render_report does
    files: dict[str, Any] = {}
    for name, render in sorted(_RENDERERS.items()):
        files[name] = render(result, messages)
        lap(f"render {name}")
    write_report(files, out)
    lap("write (audit.json, findings.xlsx streamed)")
    return phases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inventory", type=Path)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--profile", type=Path, default=None)
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="sovereign-phases-"))
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        phases = profiler.runcall(run, args.inventory, out)
        profiler.dump_stats(args.profile)
    else:
        phases = run(args.inventory, out)
    print(f"{'phase':44} {'seconds':>8} {'RSS after':>10} {'peak so far':>12}")
    for name, seconds, rss, peak in phases:
        print(f"{name:44} {seconds:8.2f} {rss:>6} MiB {peak:>8} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
