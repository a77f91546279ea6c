"""The vehicle licence's engine number (发动机号码): the maker's code and serial, letters and digits with no
check digit to repair them by.

The detector's box around the printed number often starts on its first character, and the recogniser
then drops it (AD730110 for XAD730110, 0244017 for D0244017). The value's box is read once more, widened
to the left (one line's recognition, no detection); a read that is the first one with one or two more
letters or digits in front is taken. The same second look settles two other slips of the tight box: an
unsure first character the wider read does not see (a remnant of the seal's ring or text, left in the
red-free image, read as 3 or G in front of the number), and a character the two reads disagree on that
the wider read saw clearly more surely and the first read had among its candidates (HRC87246497 with L
its runner-up: HRL87246497). Nothing else of the first read is changed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from certscan.cards import layout
from certscan.ocr.engine import RegionReader
from certscan.ocr.types import CharCandidates, Line, Page, rect_quad

# 发动机号码 loses its tail under the seal more often than any other caption (发动机辑, 发动机).
ENGINE_LABELS = ["发动机号码", "发动机号", "发动机"]
_DATE = re.compile(r"(?:19|20)\d{2}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}")
# the widening, in line heights: left (where characters are lost), right, and up and down
_WIDEN = (0.6, 0.3, 0.15)
# a first character read less surely than this is no printed one when the wider read does not see it
# (measured: seal remnants 0.40, 0.56; printed heads 0.6-1.0, most above 0.9)
UNSURE_HEAD = 0.6
# a character the two reads disagree on is the wider read's only when that read is this much surer (F
# 0.86 | E 0.86 is a toss-up: the first read's stays; C 0.42 | L 0.86 is not)
SURER_BY = 0.2
_SKIPPED = re.compile(r"[\s·.\-]")


def code_runs(text: str) -> list[str]:
    """Runs of Latin letters and digits that may be an engine number (at least 4 long, 3 digits: never
    the English caption), O read as 0 (engine numbers, like VINs, use the digit). A date (the register
    date's box, beside the caption on a tilted card) is none."""
    if _DATE.search(text):
        return []
    runs = re.findall(r"[A-Z0-9]{4,}", re.sub(r"[\s·.\-]", "", text.upper()))
    return [r.replace("O", "0") for r in runs if sum(c.isdigit() for c in r) >= 3]


def looks_like_engine_number(value: str) -> bool:
    """Letters and digits, mostly digits (the maker's engine code, then a serial)."""
    return bool(re.fullmatch(r"[A-Z0-9]{5,}", value)) and sum(c.isdigit() for c in value) >= 3


def value_line(page: Page, number: str) -> Line | None:
    """The box right of the engine number's caption that holds ``number`` (a box of its own)."""
    hit = layout.find_label(page, ENGINE_LABELS)
    if hit is None or not number:
        return None
    row = layout.right_of(page, hit.line, min_overlap=0.3)
    return next((ln for ln in row if number in code_runs(ln.text)), None)


def run_candidates(text: str, chars: Sequence[CharCandidates], run: str) -> list[CharCandidates] | None:
    """The recogniser's candidates of each character of ``run`` (a code run of ``text``, as
    ``code_runs`` gave it), or None when they cannot be lined up with the text."""
    if len(chars) != len(text):
        return None
    kept = [(c.upper(), cand) for c, cand in zip(text, chars, strict=True) if not _SKIPPED.fullmatch(c)]
    joined = "".join(c for c, _ in kept).replace("O", "0")
    at = joined.find(run)
    return [cand for _, cand in kept[at : at + len(run)]] if at >= 0 else None


def with_lost_head(number: str, page: Page, reader: RegionReader | None) -> str:
    """``number`` read again in its box widened to the left: with the characters its box cut off in
    front, without an unsure first character the wider read does not see, and with a character the two
    reads disagree on taken from the wider read when that one is surer and the first read offered it."""
    line = value_line(page, number) if reader is not None else None
    if line is None or reader is None:
        return number
    left, right, vertical = (k * line.height for k in _WIDEN)
    quad = rect_quad(line.x0 - left, line.y0 - vertical, line.x1 + right, line.y1 + vertical)
    reads = reader([quad])
    again = max(code_runs(reads[0].text), key=len, default="") if reads else ""
    head = again[: len(again) - len(number)]
    second = run_candidates(reads[0].text, reads[0].chars, again) if again else None
    # a lone 1 in front is the seal's ring or the box's edge read as a stroke (1519195 for 519195), a
    # lower-case or unsure one a speck (u at 0.29: U56794700 for 56794700)
    if again.endswith(number) and 0 < len(head) <= 2 and head != "1":
        return again if second is None or all(_printed(c) for c in second[: len(head)]) else number
    first = run_candidates(line.text, line.chars, number)
    if first is None or not again:
        return settled_letters(number, first)
    if len(again) == len(number) - 1 and number.endswith(again) and first[0].confidence < UNSURE_HEAD:
        return again
    differ = [k for k in range(len(number)) if number[k] != again[k]] if len(again) == len(number) else []
    if second is None or not 0 < len(differ) <= 2:
        return settled_letters(number, first)  # no slip of this read (another box altogether, or none)
    out = list(number)
    for k in differ:
        if second[k].confidence >= first[k].confidence + SURER_BY and again[k] in first[k].chars:
            out[k] = again[k]
    return settled_letters("".join(out), first)


def _printed(read: CharCandidates) -> bool:
    """Whether a character the wider read found in front is printed: a capital or digit read surely."""
    return read.confidence >= UNSURE_HEAD and (read.best.isdigit() or read.best.isupper())


# a first digit read less surely than this, with a capital offered at LETTER_SHARE or more, is that
# letter (measured on 300 synthetic fronts: 0 0.39 | C 0.29 and 0 0.60 | C 0.29 were letters; printed
# digits were read at 0.63+ or offered a letter at 0.14 at most)
UNSURE_DIGIT = 0.65
LETTER_SHARE = 0.2


def settled_letters(number: str, candidates: list[CharCandidates] | None) -> str:
    """``number`` with its I resolved (``with_i_resolved``) and a first digit the recogniser was unsure
    of, offering a capital nearly as much, taken as that capital: a maker's code letter read as its
    look-alike digit (039527143 for CS9527143, C offered at 0.29). Engine numbers have no check digit:
    the recogniser's own odds are all there is."""
    number = with_i_resolved(number, candidates)
    if candidates is None or len(candidates) != len(number) or not number[:1].isdigit():
        return number
    head = candidates[0]
    if head.confidence >= UNSURE_DIGIT:
        return number
    letter = next((c for c, p in zip(head.chars[1:], head.probs[1:], strict=False)
                   if p >= LETTER_SHARE and c.isupper() and c not in "IOQ"), "")
    return letter + number[1:] if letter else number


def with_i_resolved(number: str, candidates: list[CharCandidates] | None) -> str:
    """``number`` with each I read as the recogniser's next capital or digit (FIN3639650, T its runner-up:
    FTN3639650), else as 1: makers leave I out of engine numbers as they do of VINs (GB 16735), where it
    would be taken for 1."""
    if "I" not in number:
        return number
    out = list(number)
    for k, c in enumerate(number):
        if c != "I":
            continue
        others = candidates[k].chars[1:] if candidates is not None and len(candidates) == len(number) else ()
        out[k] = next((o for o in others if o.isdigit() or (o.isupper() and o not in "IOQ")), "1")
    return "".join(out)
