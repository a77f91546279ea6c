"""Constants shared across certscan: API codes, card types and the wire contract."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

API_VERSION = "2018-05-09"

# Response codes (see errors.py for the failures).
CODE_OK = 200
CODE_PROCESSING = 280

MAX_TASKS_PER_REQUEST = 100
MAX_URL_LENGTH = 2048
MAX_SEED_LENGTH = 64
SYNC_SCAN_BUDGET_SECONDS = 6.0

# Image limits from the reference document.
MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_SIDE = 30_000
MAX_IMAGE_PIXELS = 250_000_000
MAX_GIF_PIXELS = 4_194_304
DOWNLOAD_BUDGET_SECONDS = 3.0
SMALL_IMAGE_HINT_SIDE = 256

CRYPT_TYPES = ("SHA256", "SM3")
CALLBACK_ATTEMPTS = 16

CARD_TYPES: tuple[str, ...] = (
    "business-license",
    "id-card-front",
    "id-card-back",
    "passport",
    "bank-card",
    "driver-license-front",
    "driver-license-back",
    "vehicle-license-front",
    "vehicle-license-back",
    "vehicle-num",
    "vehicle-vin",
    "household-head",
    "household-resident",
)

LONG_TERM = "Long-term"

VEHICLE_NUM_TYPES: tuple[str, ...] = (
    "Small car",
    "New energy vehicle",
    "Large car",
    "Trailer",
    "Coach car",
    "Police car",
    "Military vehicle",
    "Embassy or consulate vehicle",
    "Hong Kong or Macao vehicle",
)


@cache
def contract() -> dict[str, Any]:
    """The wire contract (a verbatim copy of the reference's field tables, misspellings kept)."""
    text = resources.files("certscan.cards").joinpath("contract.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    data.pop("_about", None)
    return data


def result_key(card: str) -> str:
    """The key the card's info object travels under in ``results[i]`` (e.g. ``idCardInfo``)."""
    return str(contract()[card]["resultKey"])


def _empty_value(spec: Any) -> Any:
    if isinstance(spec, dict):
        return {k: _empty_value(v) for k, v in spec.items()}
    kind = re.match(r"[a-z]*", str(spec)).group(0)  # type: ignore[union-attr]
    if kind == "boolean":
        return False
    if kind == "float":
        return 0.0
    # Text, and integers the card does not show: "" as the reference returns (contract "_about").
    return ""


def empty_fields(card: str) -> dict[str, Any]:
    """Every contract field of ``card`` with its empty value ("" for text and integers, False, 0.0)."""
    return {name: _empty_value(spec) for name, spec in contract()[card]["fields"].items()}
