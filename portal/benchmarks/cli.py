"""flask bench seed"""

import time

import click
from flask import current_app
from flask.cli import AppGroup

bench_group = AppGroup("bench", help="Benchmark data (see bench/README.md).")


@bench_group.command("seed")
@click.option("--scale", type=click.Choice(["XS", "S", "M", "L"]), default="S", show_default=True,
              help="S: 2,000 staff; M: 20,000 staff and 500,000 thank-yous; L: 100,000 and 2,000,000; XS: 150 "
                   "staff, for tests.")
@click.option("--random-seed", type=int, default=14, show_default=True, help="The same seed makes the same data.")
def seed_command(scale: str, random_seed: int) -> None:
    """Load realistic data at SCALE into the empty, migrated DATABASE_URL (COPY on PostgreSQL); refused in
    production. Every person's password is printed at the end."""
    if current_app.config["PORTAL_ENV"] == "production":
        raise click.ClickException("Benchmark data has a published password; it is never loaded in production.")
    try:
        from bench.loading import SeedError, seed
        from bench.seed import BENCH_PASSWORD, SCALES
    except ImportError as error:
        raise click.ClickException("Run this from a checkout of Frontline (the generator is in bench/).") from error
    from portal.auth.passwords import hash_password

    chosen = SCALES[scale]
    click.echo(f"Seeding scale {scale}: {chosen.staff:,} staff, {chosen.units:,} units, {chosen.posts:,} "
               f"thank-yous, {chosen.bookings:,} bookings, {chosen.notes:,} practice notes")
    started = time.perf_counter()
    try:
        counts = seed(chosen, password_hash=hash_password(BENCH_PASSWORD), random_seed=random_seed,
                      progress=click.echo)
    except SeedError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Seeded {sum(counts.values()):,} rows in {time.perf_counter() - started:.1f} s. "
               f"Every person's password is: {BENCH_PASSWORD}")
