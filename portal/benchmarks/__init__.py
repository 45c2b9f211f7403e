"""`flask bench seed --scale S|M|L`: load benchmark data (bench/seed.py) into the configured database.

The generator lives in the repository's bench/ folder beside the benchmarks that use it (it is not part of the
installed package); this feature only adds the command, which is refused in production.
"""

from flask import Flask


def register(app: Flask) -> None:
    from portal.benchmarks.cli import bench_group
    from portal.common.features import contribute

    contribute(app, "benchmarks", commands=[bench_group])
