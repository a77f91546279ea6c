"""vehicle-vin: the 17-character vehicle identification number on a nameplate, sticker or frame stamp.

A VIN never contains I, O or Q, so those are read as 1, 0, 0. Position 9 is the ISO 3779 check digit
(mandatory in China, GB 16735). Single and double substitutions among the characters OCR confuses
(0/D/Q, 1/I/L, 5/S, 8/B, 2/Z, ...) and the recogniser's own alternatives that pass it are weighed by
how likely the recogniser makes them, the read itself among them when it passes: one sure swap loses
to two the recogniser nearly made. A repair must leave a model-year code at position 10 and four
digits at the end (``checks.vin.plausible``); a known manufacturer code (``vin_wmi``) is preferred,
never required. A 16-character read is completed when one doubled or manufacturer-code character put
back stands out. A VIN whose check digit cannot be satisfied that way is returned as read, so a
clearly printed VIN without a check digit (some European makes) is not rewritten.
"""

from __future__ import annotations

import itertools
import math
import re

from certscan.cards import vin_wmi
from certscan.cards.base import CardResult, ScanInput
from certscan.cards.text import compact, one_doubled
from certscan.checks import vin as vin_check
from certscan.constants import empty_fields
from certscan.ocr.types import Line, Page

_FORCED = str.maketrans({"I": "1", "O": "0", "Q": "0"})
_CONFUSIONS = {
    "0": "DQU",
    "D": "0",
    "U": "0V",
    "V": "UY",
    "1": "LJT",
    "L": "1",
    "J": "1",
    "T": "17",
    "7": "T",
    "5": "S",
    "S": "5",
    "8": "B",
    "B": "8",
    "2": "Z",
    "Z": "2",
    "6": "G",
    "G": "6C",
    "C": "G",
    "4": "A",
    "A": "4",
    "3": "8",
    "9": "P",
}
MAX_REPAIRS = 2
# A repair whose first three characters name no listed manufacturer (``vin_wmi``) costs this much more:
# about a 1:3 prior against it, so the table breaks ties between repairs the recogniser finds alike and
# never outweighs a clear read of an unlisted maker (simulated from the recogniser's own confusions:
# 1.0 helps listed makers' VINs and costs unlisted ones nothing; 3.0 starts to cost them).
UNKNOWN_WMI_COST = 1.0
# the cheapest candidate must be cheaper than the next by this much, else the read stays as it was
MARGIN = 0.5


Char = tuple[str, tuple[tuple[str, float], ...], float]  # read char, (alternative, prob)..., its prob


def _tokens(line: Line) -> list[list[Char]]:
    """Runs of Latin letters and digits in a line, with each char's recogniser alternatives."""
    cands = line.chars if len(line.chars) == len(line.text) else []
    runs: list[list[Char]] = [[]]
    for i, raw in enumerate(line.text):
        ch = compact(raw).upper()
        if len(ch) == 1 and re.match(r"[A-Z0-9]", ch):
            alts = (
                tuple((a.upper(), p) for a, p in zip(cands[i].chars[1:], cands[i].probs[1:], strict=False))
                if cands
                else ()
            )
            runs[-1].append((ch.translate(_FORCED), alts, cands[i].probs[0] if cands else 1.0))
        elif ch in ("", " "):
            continue  # spaces inside a VIN (printed in groups) do not end it
        else:
            runs.append([])
    return [r for r in runs if r]


def _substitutions(char: Char) -> list[tuple[str, float]]:
    """Other readings of one position with their cost (-log odds against the read char)."""
    best, alts, p_best = char
    out: dict[str, float] = {}
    for alt, p in alts:
        alt = alt.translate(_FORCED)
        if alt != best and alt in vin_check.ALPHABET and p > 0:
            out[alt] = min(out.get(alt, 99.0), math.log(max(p_best, 1e-6) / p))
    for alt in _CONFUSIONS.get(best, ""):
        if alt not in out:
            out[alt] = _unoffered_cost(p_best)
    return sorted(out.items(), key=lambda kv: kv[1])


def _unoffered_cost(p_best: float) -> float:
    """A look-alike the recogniser did not offer: costlier than most it did, the more so the surer the
    read character."""
    return 2.0 + 4.0 * p_best


def repair(chars: list[Char]) -> tuple[str, int]:
    """(VIN, changes): the most likely text passing the check digit, else (read, -1).

    Every text up to ``MAX_REPAIRS`` substitutions away that passes the check digit and the standard's
    layout is a candidate, the read itself too when it passes; a candidate costs the sum of its
    substitutions' costs, plus ``UNKNOWN_WMI_COST`` when its first three characters are no listed
    manufacturer's. The cheapest is taken when it is cheaper than every other by ``MARGIN``: without
    the recogniser's alternatives many look-alike swaps satisfy the check by chance (one in eleven
    does), and two as cheap leave the read as it was.
    """
    read = "".join(c for c, _, _ in chars)
    options = [_substitutions(c) for c in chars]
    _add_wmi_options(read, chars, options)
    candidates: list[tuple[float, int, str]] = []
    if vin_check.is_valid(read):
        candidates.append((_wmi_cost(read), 0, read))
    for changes in range(1, MAX_REPAIRS + 1):
        for positions in itertools.combinations(range(17), changes):
            for subs in itertools.product(*(options[p] for p in positions)):
                cand = list(read)
                for p, (c, _) in zip(positions, subs, strict=True):
                    cand[p] = c
                text = "".join(cand)
                if vin_check.is_valid(text) and vin_check.plausible(text):
                    cost = sum(cost for _, cost in subs) + _wmi_cost(text)
                    candidates.append((cost, changes, text))
    if not candidates:
        return read, -1
    candidates.sort()
    cost, changes, text = candidates[0]
    if len(candidates) == 1 or candidates[1][0] - cost > MARGIN:
        return text, changes
    return (read, 0) if vin_check.is_valid(read) else (read, -1)


def _add_wmi_options(read: str, chars: list[Char], options: list[list[tuple[str, float]]]) -> None:
    """A read naming no listed manufacturer may have a misread character among its first three:
    each character that makes them a listed WMI is one more option there, priced as a look-alike
    the recogniser did not offer."""
    if vin_wmi.is_known(read):
        return
    for i in range(3):
        offered = {c for c, _ in options[i]}
        for wmi in vin_wmi.KNOWN:
            if wmi[:i] == read[:i] and wmi[i + 1 : 3] == read[i + 1 : 3] and wmi[i] not in offered:
                options[i].append((wmi[i], _unoffered_cost(chars[i][2])))
                offered.add(wmi[i])


def _wmi_cost(text: str) -> float:
    return 0.0 if vin_wmi.is_known(text) else UNKNOWN_WMI_COST


def with_lost_char(read: str) -> str | None:
    """The 17-char VIN a 16-char read lost one character of, when one completion stands out.

    Two losses are common. The recogniser emits a character once for as long as it sees it, so a
    doubled one (the 77 of ``…147788``) printed tight or blurred comes out once; and a thin character
    squeezed between wide ones (the J of ``LJD``) is dropped. Each character of the read doubled in
    turn, and each character put into the first three places where that names a listed manufacturer
    (``vin_wmi``), give the completions; those passing the check digit and the standard's layout
    (``plausible``) are kept. One naming a listed manufacturer is taken when it is the only such one,
    else the only passing one: a completion passes the check by chance often enough (one in eleven)
    that two passing ones leave the read unrepaired."""
    completions = one_doubled(read)
    completions |= {
        text
        for i in range(3)
        for c in vin_check.ALPHABET
        if vin_wmi.is_known(text := read[:i] + c + read[i:])
    }
    passing = {text for text in completions if vin_check.is_valid(text) and vin_check.plausible(text)}
    listed = {text for text in passing if vin_wmi.is_known(text)}
    pool = listed or passing
    return pool.pop() if len(pool) == 1 else None


def find_vins(page: Page) -> list[tuple[str, float, int]]:
    """(VIN, confidence, changes) for every 17-char window of every run; valid ones first. Without a
    valid one, a 16-char run completed (see ``with_lost_char``)."""
    found: list[tuple[str, float, int]] = []
    short: list[tuple[str, float]] = []
    for line in page.lines:
        for run in _tokens(line):
            if len(run) == 16:
                short.append(("".join(c for c, _, _ in run), line.confidence))
            if len(run) < 17:
                continue
            for start in range(len(run) - 16):
                text, changes = repair(run[start : start + 17])
                found.append((text, line.confidence, changes))
    if not any(changes >= 0 for _, _, changes in found):
        for read, conf in short:
            completed = with_lost_char(read)
            if completed is not None:
                found.append((completed, conf, 1))
    found.sort(key=lambda f: (f[2] < 0, f[2], -f[1]))
    return found


def parse(scan: ScanInput) -> CardResult:
    page = scan.engine.read(scan.image)
    found = find_vins(page)
    if not found:
        result = CardResult.empty("vehicle-vin")
        result.text_found = bool(page.lines)
        return result
    text, conf, changes = found[0]
    fields = empty_fields("vehicle-vin")
    fields["vin"] = text
    penalty = 0.5 if changes < 0 else 1.0 - 0.1 * changes
    return CardResult(
        card="vehicle-vin",
        fields=fields,
        rate=round(100.0 * conf * penalty, 2),
        extra={"checkDigitValid": changes >= 0},
    )
