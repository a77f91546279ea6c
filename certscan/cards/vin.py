"""vehicle-vin: the 17-character vehicle identification number on a nameplate, sticker or frame stamp.

A VIN never contains I, O or Q, so those are read as 1, 0, 0. Position 9 is the ISO 3779 check digit
(mandatory in China, GB 16735): when the read fails it, single and double substitutions among the
characters OCR confuses (0/D/Q, 1/I/L, 5/S, 8/B, 2/Z, ...) and the recogniser's own alternatives are
tried, fewest changes first; a repair must leave a model-year code at position 10 and four digits at the
end (``checks.vin.plausible``). A 16-character read is completed when doubling exactly one of its
characters passes. A VIN whose check digit cannot be satisfied that way is returned as read, so a
clearly printed VIN without a check digit (some European makes) is not rewritten.
"""

from __future__ import annotations

import itertools
import math
import re

from certscan.cards.base import CardResult, ScanInput
from certscan.cards.text import compact
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
    for alt in _CONFUSIONS.get(best, ""):  # look-alikes the recogniser did not offer: costlier
        if alt not in out:
            out[alt] = 2.0 + 4.0 * p_best
    return sorted(out.items(), key=lambda kv: kv[1])


def repair(chars: list[Char]) -> tuple[str, int]:
    """(VIN, changes): the cheapest substitutions that satisfy the check digit, else (read, -1).

    Without the recogniser's alternatives many single look-alike swaps satisfy the check by chance
    (one in eleven does), so a repair is only taken when it is the one cheapest candidate.
    """
    read = "".join(c for c, _, _ in chars)
    if vin_check.is_valid(read):
        return read, 0
    options = [_substitutions(c) for c in chars]
    for changes in range(1, MAX_REPAIRS + 1):
        valid: list[tuple[float, str]] = []
        for positions in itertools.combinations(range(17), changes):
            for subs in itertools.product(*(options[p] for p in positions)):
                cand = list(read)
                for p, (c, _) in zip(positions, subs, strict=True):
                    cand[p] = c
                text = "".join(cand)
                if vin_check.is_valid(text) and vin_check.plausible(text):
                    valid.append((sum(cost for _, cost in subs), text))
        if valid:
            valid.sort()
            if len(valid) == 1 or valid[1][0] - valid[0][0] > 0.5:
                return valid[0][1], changes
            return read, -1
    return read, -1


def with_doubled_char(read: str) -> str | None:
    """The 17-char VIN a 16-char read lost a doubled character of, when exactly one passes.

    The recogniser emits a character once for as long as it sees it, so a doubled one (the 77 of
    ``…147788``) printed tight or blurred comes out once. Each character of the read doubled in turn
    gives at most 16 texts; one passing the check digit and the standard's layout (``plausible``) by
    chance among them is likely enough that two passing ones leave the read unrepaired."""
    passing = {read[:i + 1] + read[i:] for i in range(len(read))}
    passing = {text for text in passing if vin_check.is_valid(text) and vin_check.plausible(text)}
    return passing.pop() if len(passing) == 1 else None


def find_vins(page: Page) -> list[tuple[str, float, int]]:
    """(VIN, confidence, changes) for every 17-char window of every run; valid ones first. Without a
    valid one, a 16-char run that lost a doubled character (see ``with_doubled_char``)."""
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
            doubled = with_doubled_char(read)
            if doubled is not None:
                found.append((doubled, conf, 1))
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
