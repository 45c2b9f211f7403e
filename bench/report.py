"""Turning wrk runs into figures: median and range over the repetitions, the ratio to the floor measured in the
same repetition, growth from scale S to M, and the three files `make bench` writes.

- ``bench/results/latest.json``: the contract in DESIGN.md, a list of ``{"scenario", "scale", "rps", "p50_ms",
  "p99_ms", "ratio_to_floor"}`` (medians), plus ``"failed"``; a failed scenario's figures are null, so nothing
  reads a scenario that answered errors as fast.
- ``bench/results/latest-detail.json``: every run (load average beside each), ranges, growth, page weight, seeding.
- ``bench/results/latest.md``: the same as tables.
"""

from __future__ import annotations

import json
from pathlib import Path
from statistics import median
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def summarise(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One summary per (scale, scenario) from the runs, each run a dict with scale, scenario, rep, rps, p50_ms,
    p95_ms, p99_ms, failed, load_1m. Ratios are taken against the floor of the same scale and repetition."""
    floors = {(r["scale"], r["rep"]): r["rps"] for r in runs if r["scenario"] == "floor"}
    keys = list(dict.fromkeys((r["scale"], r["scenario"]) for r in runs))
    summaries = []
    for scale, scenario in keys:
        mine = [r for r in runs if r["scale"] == scale and r["scenario"] == scenario]
        ratios = [r["rps"] / floors[(scale, r["rep"])] for r in mine if floors.get((scale, r["rep"]))]
        summary = {"scenario": scenario, "scale": scale, "label": mine[0].get("label", scenario),
                   "runs": len(mine), "failed": any(r["failed"] for r in mine),
                   "failures": sum(r["failed"] for r in mine),
                   "first_failure": next((r["first_failure"] for r in mine if r.get("first_failure")), "")}
        for name in ("rps", "p50_ms", "p95_ms", "p99_ms", "load_1m"):
            values = [r[name] for r in mine]
            summary[name] = round(median(values), 2)
            summary[f"{name}_range"] = [round(min(values), 2), round(max(values), 2)]
        summary["ratio_to_floor"] = round(median(ratios), 4) if ratios else None
        summary["ratio_range"] = [round(min(ratios), 4), round(max(ratios), 4)] if ratios else None
        summaries.append(summary)
    return summaries


def growth(summaries: list[dict[str, Any]], small: str = "S", large: str = "M") -> dict[str, float]:
    """p50 at ``large`` ÷ p50 at ``small``, for every scenario run at both."""
    p50 = {(s["scale"], s["scenario"]): s["p50_ms"] for s in summaries}
    return {scenario: round(p50[(large, scenario)] / p50[(small, scenario)], 2)
            for (scale, scenario) in p50 if scale == large and p50.get((small, scenario))}


def contract(summaries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The list DESIGN.md promises (medians); a failed scenario's figures are null."""
    rows = []
    for s in summaries:
        figures = {name: None if s["failed"] else s[name] for name in ("rps", "p50_ms", "p99_ms", "ratio_to_floor")}
        rows.append({"scenario": s["scenario"], "scale": s["scale"], **figures, "failed": s["failed"]})
    return rows


def _range(values: list | None, digits: int = 0) -> str:
    if not values:
        return ""
    return f"{values[0]:,.{digits}f}–{values[1]:,.{digits}f}"


def markdown(summaries: list[dict[str, Any]], detail: dict[str, Any]) -> str:
    lines = [f"# Benchmark results ({detail['finished_at']})", "",
             f"{detail['settings']['connections']} connections, {detail['settings']['reps']} × "
             f"{detail['settings']['duration']} s per scenario, interleaved with the floor; gunicorn "
             f"`{detail['settings']['gunicorn']}`, PostgreSQL. Medians, with the range over the repetitions; the "
             "1-minute load average at the end of each run beside each figure (the machine has "
             f"{detail['cpus']} cores).", "",
             "| scale | scenario | req/s (range) | × floor (range) | p50 ms | p95 ms | p99 ms (range) | load avg "
             "| status |",
             "|---|---|---|---|---|---|---|---|---|"]
    for s in summaries:
        status = f"**failed** ({s['failures']}: {s['first_failure'][:60]})" if s["failed"] else "ok"
        ratio = "1" if s["scenario"] == "floor" else (
            f"{s['ratio_to_floor']:.4f} ({_range(s['ratio_range'], 4)})" if s["ratio_to_floor"] is not None else "")
        lines.append(f"| {s['scale']} | {s['label']} | {s['rps']:,.1f} ({_range(s['rps_range'], 1)}) | {ratio} | "
                     f"{s['p50_ms']:,.1f} | {s['p95_ms']:,.1f} | {s['p99_ms']:,.1f} ({_range(s['p99_ms_range'], 1)}) "
                     f"| {s['load_1m']:.1f} ({_range(s['load_1m_range'], 1)}) | {status} |")
    if detail.get("growth"):
        lines += ["", "## Growth: p50 at M ÷ p50 at S", "", "| scenario | growth |", "|---|---|"]
        lines += [f"| {name} | {value:.2f}× |" for name, value in detail["growth"].items()]
    for scale, weight in detail.get("page_weight", {}).items():
        lines += ["", f"## Page weight of the wall (scale {scale})", "",
                  "| visit | requests | bytes transferred (bodies) | requests to other hosts |", "|---|---|---|---|",
                  f"| first | {weight['first']['requests']} | {weight['first']['bytes']:,} | {weight['other_hosts']} |",
                  f"| second | {weight['second']['requests']} | {weight['second']['bytes']:,} | "
                  f"{weight['other_hosts']} |", "",
                  "First visit, by resource: " + ", ".join(
                      f"`{r['path']}` {r['bytes']:,} B ({r['encoding'] or 'identity'}; {r['cache_control'] or '-'})"
                      for r in weight["first"]["resources"])]
    for scale, measured in detail.get("capacity", {}).items():
        lines += ["", f"## Capacity at scale {scale}: {measured['capacity_connections']} connections at p95 ≤ "
                  f"{measured['p95_limit_ms']} ms; every acknowledged write stored: "
                  f"{'yes' if measured['every_acknowledged_write_stored'] else 'NO'}", "",
                  "| connections | req/s | p50 ms | p95 ms | p99 ms | non-2xx | 5xx | writes acknowledged | lost |",
                  "|---|---|---|---|---|---|---|---|---|"]
        lines += [f"| {lv['connections']} | {lv['rps']:,.1f} | {lv['p50_ms']:,.1f} | {lv['p95_ms']:,.1f} | "
                  f"{lv['p99_ms']:,.1f} | {lv['failed']} | {lv['server_errors']} | {lv['acknowledged_writes']} | "
                  f"{lv['lost_writes']} |" for lv in measured["levels"]]
    for scale, seeding in detail.get("seeding", {}).items():
        took = detail.get("scale_seconds", {}).get(scale)
        lines += ["", f"Scale {scale}: {seeding}" + (f"; {took} s end to end." if took else ".")]
    return "\n".join(lines) + "\n"


def write(runs: list[dict[str, Any]], detail: dict[str, Any], results: Path = RESULTS) -> list[dict[str, Any]]:
    summaries = summarise(runs)
    detail = {**detail, "summaries": summaries, "runs": runs, "growth": growth(summaries)}
    results.mkdir(parents=True, exist_ok=True)
    rows = contract(summaries)
    (results / "latest.json").write_text(json.dumps(rows, indent=2) + "\n")
    (results / "latest-detail.json").write_text(json.dumps(detail, indent=2, default=str) + "\n")
    (results / "latest.md").write_text(markdown(summaries, detail))
    return rows
