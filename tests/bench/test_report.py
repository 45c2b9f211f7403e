"""What `make bench` writes: the latest.json DESIGN.md promises, medians and ranges, ratios to the floor of the same
repetition, growth from S to M, and a failed scenario never reported as fast."""

from __future__ import annotations

import json

import pytest

from bench import report

pytestmark = pytest.mark.committed  # nothing here touches the database: no per-test transaction


def run(scale: str, scenario: str, rep: int, rps: float, p50: float, *, failed: int = 0) -> dict:
    return {"scale": scale, "scenario": scenario, "label": scenario.title(), "rep": rep, "rps": rps, "p50_ms": p50,
            "p95_ms": p50 * 1.5, "p99_ms": p50 * 2, "failed": failed, "first_failure": "500 oops" if failed else "",
            "load_1m": 2.0 + rep}


RUNS = [
    *[run("S", "floor", rep, rps, 2.0) for rep, rps in ((1, 1000), (2, 2000), (3, 1000))],
    *[run("S", "wall", rep, rps, p50) for rep, rps, p50 in ((1, 100, 40), (2, 100, 50), (3, 50, 60))],
    *[run("S", "appreciate", rep, 300, 10, failed=1 if rep == 2 else 0) for rep in (1, 2, 3)],
    *[run("M", "floor", rep, 1000, 2.0) for rep in (1, 2, 3)],
    *[run("M", "wall", rep, 20, 100) for rep in (1, 2, 3)],
]


def test_latest_json_is_the_contract_list(tmp_path):
    report.write(RUNS, {"finished_at": "now", "cpus": 2, "settings": {"connections": 16, "reps": 3, "duration": 10,
                                                                        "gunicorn": "-w 2"}}, results=tmp_path)
    rows = json.loads((tmp_path / "latest.json").read_text())
    assert isinstance(rows, list) and len(rows) == 5
    for row in rows:
        assert set(row) == {"scenario", "scale", "rps", "p50_ms", "p99_ms", "ratio_to_floor", "failed"}
    wall = next(r for r in rows if r["scale"] == "S" and r["scenario"] == "wall")
    assert wall == {"scenario": "wall", "scale": "S", "rps": 100, "p50_ms": 50, "p99_ms": 100,
                    "ratio_to_floor": 0.05, "failed": False}  # ratios 0.1, 0.05, 0.05 against each round's floor
    floor = next(r for r in rows if r["scale"] == "M" and r["scenario"] == "floor")
    assert floor["ratio_to_floor"] == 1


def test_a_scenario_with_any_failure_is_failed_not_fast(tmp_path):
    rows = report.write(RUNS, {"finished_at": "now", "cpus": 2, "settings": {"connections": 16, "reps": 3,
                                                                            "duration": 10, "gunicorn": "-w 2"}},
                        results=tmp_path)
    appreciate = next(r for r in rows if r["scenario"] == "appreciate")
    assert appreciate == {"scenario": "appreciate", "scale": "S", "rps": None, "p50_ms": None, "p99_ms": None,
                          "ratio_to_floor": None, "failed": True}
    table = (tmp_path / "latest.md").read_text()
    assert "**failed** (1: 500 oops)" in table


def test_detail_has_ranges_load_and_growth(tmp_path):
    report.write(RUNS, {"finished_at": "now", "cpus": 2, "settings": {"connections": 16, "reps": 3, "duration": 10,
                                                                        "gunicorn": "-w 2"}}, results=tmp_path)
    detail = json.loads((tmp_path / "latest-detail.json").read_text())
    wall = next(s for s in detail["summaries"] if s["scale"] == "S" and s["scenario"] == "wall")
    assert wall["rps_range"] == [50, 100] and wall["p50_ms_range"] == [40, 60]
    assert wall["load_1m"] == 4.0 and wall["load_1m_range"] == [3.0, 5.0]
    assert wall["ratio_range"] == [0.05, 0.1]
    assert detail["growth"] == {"floor": 1.0, "wall": 2.0}  # p50 100 ms at M ÷ 50 ms at S
    assert len(detail["runs"]) == len(RUNS)
    assert "| wall | 2.00× |" in (tmp_path / "latest.md").read_text()
