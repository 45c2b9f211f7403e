"""The README documents every setting portal/config.py reads, and the contracts other tools rely on."""

from pathlib import Path

from portal.config import SETTINGS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_every_setting_is_in_the_configuration_table():
    table = README.split("<!-- settings-table -->", 1)[1].split("\n\n", 1)[0]
    missing = [s.name for s in SETTINGS if f"| `{s.name}` |" not in table]
    assert missing == []


def test_the_two_commands_are_documented():
    assert "make run" in README and "make test" in README
