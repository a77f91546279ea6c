"""Card parsers, registered in one dict: card type → ``"module:function"``, imported on first use."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from certscan.cards.base import CardResult, ScanInput
from certscan.errors import RecognitionFailed

Parser = Callable[[ScanInput], CardResult]

# Filled in as each family's parser lands; a card type missing here fails its task with 586.
PARSERS: dict[str, str] = {
    "id-card-front": "certscan.cards.idcard:parse_front",
    "id-card-back": "certscan.cards.idcard:parse_back",
    "bank-card": "certscan.cards.bankcard:parse",
    "passport": "certscan.cards.passport:parse",
    "driver-license-front": "certscan.cards.driver:parse_front",
    "driver-license-back": "certscan.cards.driver:parse_back",
    "vehicle-license-front": "certscan.cards.vehicle_license:parse_front",
    "vehicle-license-back": "certscan.cards.vehicle_license_back:parse_back",
    "vehicle-num": "certscan.cards.plate:parse",
    "vehicle-vin": "certscan.cards.vin:parse",
    "business-license": "certscan.cards.business:parse",
    "household-head": "certscan.cards.household:parse_head",
    "household-resident": "certscan.cards.household:parse_resident",
}


def get_parser(card: str) -> Parser:
    target = PARSERS.get(card)
    if target is None:
        raise RecognitionFailed(f"no parser for card type {card!r} yet")
    module_name, _, func_name = target.partition(":")
    parser: Parser = getattr(importlib.import_module(module_name), func_name)
    return parser
