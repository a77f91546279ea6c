"""Label validation against the contract, and the check-digit tests each card's key fields carry.

``CHECKED_FIELDS`` is shared with the accuracy harness, which reports how often a parser's answer for
these fields passes its check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from certscan.checks import idnumber, luhn, mrz, uscc, vin
from certscan.checks.regions import is_known_region
from certscan.constants import LONG_TERM, empty_fields


def id_number_ok(value: str) -> bool:
    return idnumber.is_valid(value, is_known_region(value[:6]))


def td3_ok(line0: str, line1: str) -> bool:
    """Both TD3 lines are 44 chars and every ICAO 9303 check digit of line 2 verifies."""
    if len(line0) != 44 or len(line1) != 44 or not line0.startswith("P"):
        return False
    composite = line1[0:10] + line1[13:20] + line1[21:43]
    return (mrz.field_ok(line1[0:9], line1[9]) and mrz.field_ok(line1[13:19], line1[19])
            and mrz.field_ok(line1[21:27], line1[27])
            and (mrz.field_ok(line1[28:42], line1[42]) or (line1[28:43] == "<" * 15))
            and mrz.field_ok(composite, line1[43]))


Check = Callable[[dict[str, Any]], bool]

# card → {name of the check: test on the card's fields}. A check applies only when its field is non-empty.
CHECKED_FIELDS: dict[str, dict[str, tuple[tuple[str, ...], Check]]] = {
    "id-card-front": {"number": (("number",), lambda f: id_number_ok(f["number"]))},
    "business-license": {"creditCode": (("creditCode",), lambda f: uscc.is_valid(f["creditCode"]))},
    "bank-card": {"bankCardNum": (("bankCardNum",), lambda f: luhn.is_valid(f["bankCardNum"]))},
    "passport": {"mrz": (("line0", "line1"), lambda f: td3_ok(f["line0"], f["line1"]))},
    "driver-license-front": {"number": (("number",), lambda f: id_number_ok(f["number"]))},
    "vehicle-license-front": {"vin": (("vin",), lambda f: vin.is_valid(f["vin"]))},
    "vehicle-vin": {"vin": (("vin",), lambda f: vin.is_valid(f["vin"]))},
    "household-resident": {"idNumber": (("idNumber",), lambda f: id_number_ok(f["idNumber"]))},
}


def applicable_checks(card: str, fields: dict[str, Any]) -> dict[str, bool]:
    """Each check whose fields are all filled in, and whether it passes."""
    out = {}
    for name, (keys, test) in CHECKED_FIELDS.get(card, {}).items():
        if all(isinstance(fields.get(k), str) and fields.get(k) for k in keys):
            out[name] = bool(test(fields))
    return out


def _date_ok(value: Any, allow_long_term: bool = False) -> bool:
    if value == "" or (allow_long_term and value == LONG_TERM):
        return True
    return isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-" \
        and value.replace("-", "").isdigit()


def _types_match(expected: Any, value: Any) -> bool:
    if isinstance(expected, dict):
        return isinstance(value, dict) and set(value) == set(expected) and all(
            _types_match(expected[k], value[k]) for k in expected)
    if isinstance(expected, bool):
        return isinstance(value, bool)
    if isinstance(expected, float):
        return isinstance(value, int | float) and not isinstance(value, bool)
    # "" stands for text and for integers the card does not show.
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def label_errors(card: str, fields: dict[str, Any]) -> list[str]:
    """Why a synthetic label breaks the contract (empty list when it is fine)."""
    expected = empty_fields(card)
    errors = []
    missing, unknown = set(expected) - set(fields), set(fields) - set(expected)
    if missing:
        errors.append(f"missing keys {sorted(missing)}")
    if unknown:
        errors.append(f"unknown keys {sorted(unknown)}")
    for key in set(expected) & set(fields):
        if not _types_match(expected[key], fields[key]):
            errors.append(f"{key}: wrong type {type(fields[key]).__name__}")
    for key, spec in _DATE_KEYS.get(card, {}).items():
        if key in fields and not _date_ok(fields[key], spec):
            errors.append(f"{key}: not YYYY-MM-DD: {fields[key]!r}")
    for name, ok in applicable_checks(card, fields).items():
        if not ok:
            errors.append(f"{name}: check digit fails")
    return errors


# Fields whose contract (or bench/synth/README.md for the passport) fixes the YYYY-MM-DD format;
# the value says whether "Long-term" is also allowed.
_ID_DATES = {"birth": False, "startDate": False, "endDate": True}
_DATE_KEYS: dict[str, dict[str, bool]] = {
    "id-card-front": _ID_DATES,
    "id-card-back": _ID_DATES,
    "passport": {"birthDate": False, "expireDate": False, "issueDate": False},
    "driver-license-front": {"validStartDate": False, "validEndDate": True},
    "vehicle-license-front": {"registerDate": False, "issueDate": False},
}
