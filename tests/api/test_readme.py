"""The README's configuration table matches the Settings class, both ways."""

from __future__ import annotations

import re
from pathlib import Path

from certscan.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def configuration_table() -> set[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `CERTSCAN_([A-Z0-9_]+)` \|", section, flags=re.M))


def test_every_setting_is_documented_and_every_documented_setting_exists() -> None:
    documented = {name.lower() for name in configuration_table()}
    fields = set(Settings.model_fields)
    assert not fields - documented, f"add to README's Configuration table: {sorted(fields - documented)}"
    assert not documented - fields, f"README documents settings that do not exist: {documented - fields}"
