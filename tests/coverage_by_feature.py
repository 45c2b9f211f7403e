"""Print line-and-branch coverage per feature package from coverage.py's data, and fail under a minimum.

    python tests/coverage_by_feature.py --min 90

Run by `make test` after the test runs (both databases' runs are combined when PostgreSQL ran too).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path


def by_package(report: dict) -> dict[str, tuple[int, int]]:
    """package → (covered, total) statements + branches, e.g. 'portal/recognition' or 'portal (top level)'."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for filename, data in report["files"].items():
        parts = Path(filename).parts
        index = parts.index("portal")
        package = "/".join(parts[index:index + 2]) if len(parts) > index + 2 else "portal (top level)"
        summary = data["summary"]
        totals[package][0] += summary["covered_lines"] + summary.get("covered_branches", 0)
        totals[package][1] += summary["num_statements"] + summary.get("num_branches", 0)
    return {package: (covered, total) for package, (covered, total) in sorted(totals.items())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--min", type=float, default=90.0, help="lowest acceptable percentage per package")
    parser.add_argument("--coverage", default=str(Path(sys.executable).parent / "coverage"))
    args = parser.parse_args()
    subprocess.run([args.coverage, "json", "-q", "-o", "coverage.json"], check=True)
    report = json.loads(Path("coverage.json").read_text())
    below = []
    print(f"{'package':<28} {'covered':>8}")
    for package, (covered, total) in by_package(report).items():
        percent = 100.0 * covered / total if total else 100.0
        flag = "" if percent >= args.min else f"  < {args.min:g} %"
        print(f"{package:<28} {percent:7.1f}%{flag}")
        if flag:
            below.append(package)
    overall = report["totals"]["percent_covered"]
    print(f"{'all of portal':<28} {overall:7.1f}%")
    if below:
        print(f"coverage below {args.min:g} % in: {', '.join(below)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
