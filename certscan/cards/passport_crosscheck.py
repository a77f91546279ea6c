"""A passport's MRZ read checked against its visual zone, which prints the same names, number and
nationality in larger type: a difference no check digit covers (line 1 has none; B/8 weigh alike in
the number's sum) is settled by the print.

Each repair changes the read only when the printed words confirm the result (``names_confirmed``):
the document number by look-alikes, the nationality by the state codes printed, line 1's issuing
state, separator and names by the printed names, a Chinese names line by its pinyin.
"""

from __future__ import annotations

import itertools
import re

from certscan.cards.mrz_fields import FILLER_READS
from certscan.cards.mrz_read import MrzRead, mrz_like
from certscan.cards.passport_names import printed_phrases, rebuild_names
from certscan.cards.passport_pinyin import chn_state_realigned, clean_pinyin_names, pinyin_names
from certscan.cards.text import compact, edit_distance, hamming, normalize
from certscan.checks import mrz
from certscan.checks.mrz_codes import known_state
from certscan.ocr.types import Page


def latin_runs(page: Page) -> set[str]:
    """Capital Latin words and phrases printed outside the MRZ, spaces removed (``MEI HUA`` → MEIHUA)."""
    runs: set[str] = set()
    for ln in page.lines:
        if mrz_like(ln.text) or "<" in ln.text:  # a piece of the MRZ too short to look like one
            continue
        for run in re.findall(r"[A-Z]+(?: [A-Z]+)*", normalize(ln.text)):
            runs.add(run.replace(" ", ""))
    return runs


def names_confirmed(read: MrzRead, runs: set[str]) -> bool:
    """Line 1 of the MRZ agrees with the visual zone: its surname and given names are printed there as
    whole words, and its issuing state is the holder's nationality or printed too."""
    line0 = read.line0
    if not re.fullmatch(r"P[A-Z<][A-Z<]{3}[A-Z][A-Z<]*", line0):
        return False
    names = line0[5:].split("<<", 1)
    surname = names[0].replace("<", "")
    given = names[1].replace("<", "") if len(names) > 1 else ""
    state = line0[2:5]
    return (surname in runs and (not given or given in runs)
            and (state == read.line1[10:13] or state.replace("<", "") in runs))


_LOOKALIKES = {c: group[0] for group in ("0ODQ", "1IL", "2Z", "5S", "6G", "8B") for c in group}


def _lookalike(a: str, b: str) -> bool:
    same = (_LOOKALIKES.get(x, x) == _LOOKALIKES.get(y, y) for x, y in zip(a, b, strict=True))
    return len(a) == len(b) and all(same)


def cross_check_number(page: Page, read: MrzRead) -> None:
    """The document number as the visual zone prints it, when the MRZ read differs from it only by
    look-alike characters (B/8, O/0/D, S/5, ...) and the printed one passes the same check digits: a
    swap the check sum cannot see (B and 8 are 3 apart, twice) is settled by the second print."""
    line1 = read.line1
    number = line1[0:9]
    before = sum(read.checks.values())
    for ln in page.lines:
        printed = compact(ln.text).upper()
        if printed == number.rstrip("<") or not re.fullmatch(r"[A-Z0-9]{6,9}", printed) or mrz_like(ln.text):
            continue
        printed = printed.ljust(9, "<")
        differing = hamming(printed, number)
        if not _lookalike(printed, number) and differing > 4:
            continue
        fixed = printed + line1[9:]
        checks = mrz.td3_checks(fixed)
        # Look-alikes need the number's check digit; other differences (a blurred 66UC read GOOO whose
        # sum happened to pass) need the composite check digit too.
        confirmed = checks["number"] and (_lookalike(printed, number) or checks["composite"])
        if confirmed and sum(checks.values()) >= before:
            read.line1, read.checks = fixed, checks
            return


def repair_nationality(read: MrzRead, runs: set[str]) -> None:
    """A nationality read with a non-letter (``9GP``) is the issuing state of line 1 or a code the
    visual zone prints, when that code agrees with the letters that were read."""
    nationality = read.line1[10:13]
    if not any(ch.isdigit() for ch in nationality):  # D<< (Germany) is a code as printed
        _nationality_as_code(read, runs)
        return
    for code in (read.line0[2:5], *sorted(r for r in runs if len(r) == 3)):
        if code.isalpha() and all(a == b for a, b in zip(nationality, code, strict=True) if a.isalpha()):
            read.line1 = read.line1[:10] + code + read.line1[13:]
            return


def _nationality_as_code(read: MrzRead, runs: set[str]) -> None:
    """A nationality in letters that is no state code (``ANS``: C lost, a 5 doubled as S; no check digit
    covers it) is the nearest of the issuing state and the codes the visual zone prints, at most two
    edits away and nearer than any other."""
    nationality = read.line1[10:13]
    if known_state(nationality):
        return
    printed = (r for r in runs if len(r) == 3)
    codes = {c for c in (read.line0[2:5], *printed) if c.isalpha() and known_state(c)}
    ranked = sorted((edit_distance(nationality, c), c) for c in codes)
    if ranked and ranked[0][0] <= 2 and (len(ranked) == 1 or ranked[1][0] > ranked[0][0]):
        read.line1 = read.line1[:10] + ranked[0][1] + read.line1[13:]


def repair_header(read: MrzRead, runs: set[str]) -> None:
    """Line 1 whose issuing state lost or gained a character (``P<HNLIN<<LI``) shifts every name: when the
    holder's nationality is printed in the visual zone, try it as the state with the names starting
    1-4 characters on, and keep the first variant whose names the visual zone confirms."""
    nationality = read.line1[10:13]
    state = read.line0[2:5]
    if (names_confirmed(read, runs) or not re.fullmatch(r"[A-Z]{3}", nationality) or nationality not in runs
            or state == nationality or state.replace("<", "") in runs):
        return
    rest = read.line0[2:]
    for k in range(1, 5):  # the smallest shift the visual zone confirms
        variant = (read.line0[:2] + nationality + rest[k:]).ljust(44, "<")[:44]
        if variant != read.line0 and names_confirmed(MrzRead(line0=variant, line1=read.line1), runs):
            read.line0 = variant
            return


def repair_separator(read: MrzRead, runs: set[str]) -> None:
    """Names read with a single filler between surname and given names (``ZHONG<XINNA``, CTC merged the
    pair): the single filler the visual zone's printed surname ends at becomes the ``<<`` separator."""
    names = read.line0[5:].rstrip("<")
    if "<<" in names or names_confirmed(read, runs):
        return
    for i, ch in enumerate(names):
        variant = (read.line0[:5] + names[:i] + "<" + names[i:]).ljust(44, "<")[:44]
        if ch == "<" and names_confirmed(MrzRead(line0=variant, line1=read.line1), runs):
            read.line0 = variant
            return


def repair_names(read: MrzRead, page: Page, runs: set[str]) -> None:
    """Names whose fillers the read damaged, rebuilt on the names the visual zone prints
    (``passport_names``); the issuing state is line 1's when the print confirms it, else the holder's
    nationality."""
    if names_confirmed(read, runs):
        return
    nationality, state = read.line1[10:13], read.line0[2:5]
    if not (state.isalpha() and (state == nationality or state in runs)):
        state = nationality
    if not state.isalpha():
        return
    line0 = rebuild_names(read, printed_phrases(page, read.lines), state)
    # a Chinese names line read whole (FENG<<XINLING) does not follow a print read with a letter doubled
    if line0 is None or ("CHN" in (state, nationality) and clean_pinyin_names(read.line0)
                         and not clean_pinyin_names(line0)):
        return
    rebuilt = MrzRead(line0=line0, line1=read.line1)
    # The surname as the zone reads it (its print unread) before given names the print confirms.
    surname, _, given = line0[5:].partition("<<")
    own_surname = read.line0[5:].startswith(surname) and given.strip("<").replace("<", "") in runs
    if names_confirmed(rebuilt, runs) or own_surname:
        read.line0 = line0


def repair_chinese_names(read: MrzRead, runs: set[str]) -> None:
    """A Chinese passport's names line whose fillers were read as letters (``DENGKKMEIJIAESKSKKS``),
    which the printed names could not rebuild (the given name's print misread): the surname as printed,
    the given name by its pinyin (``passport_pinyin.pinyin_names``)."""
    if "CHN" not in (read.line0[2:5], read.line1[10:13]) or names_confirmed(read, runs):
        return
    realigned = chn_state_realigned(read.line0) if not known_state(read.line0[2:5]) else None
    if realigned is not None and read.line1[10:13] == "CHN":
        read.line0 = realigned  # the state lost or gained a character: CHN back, the names in place
    names = re.sub(r"[^A-Z<]", "<", read.line0[5:])  # what is no MRZ character is no name either
    if clean_pinyin_names(read.line0):
        # a clean line of pinyin names: nothing read where fillers go; an issuing state that is no
        # state code (HNU) is the holder's nationality when the print confirms the surname
        state, surname = read.line0[2:5], names.split("<", 1)[0]
        if state != "CHN" and read.line1[10:13] == "CHN" and not known_state(state) and surname in runs:
            read.line0 = read.line0[:2] + "CHN" + read.line0[5:]
        return
    found = pinyin_names(names, runs, FILLER_READS)
    if found is None:
        return
    kind = read.line0[1] if read.line0[1] not in FILLER_READS else "<"
    read.line0 = (f"P{kind}CHN{found[0]}<<{found[1]}").ljust(mrz.TD3_LENGTH, "<")


# Digits a letter read in a Chinese passport number's digit positions stands for (S weighs 28, as 8 in
# the check sum mod 10; as 5 it does not).
_DIGIT_LOOKALIKES = {"S": "58", "B": "8", "O": "0", "D": "0", "Q": "0", "U": "0", "I": "1", "L": "1",
                     "T": "1", "Z": "2", "G": "6", "A": "4"}
MAX_LETTERS_TYPED = 4


def chinese_number_digits(read: MrzRead) -> None:
    """A Chinese passport number (G or E, a digit or a series letter, then seven digits) with letters
    read in its last seven positions (EJSS061301 for EJ88061301: S and 8 weigh alike, the check digit
    passes): those letters as the digits they look like, when exactly one such reading passes the
    number's and the composite check digits."""
    line1 = read.line1
    if line1[10:13] != "CHN" or not re.fullmatch(r"[A-Z][A-Z0-9][A-Z0-9]{7}", line1[:9]):
        return
    letters = [i for i in range(2, 9) if line1[i].isalpha()]
    if not letters or len(letters) > MAX_LETTERS_TYPED or any(line1[i] not in _DIGIT_LOOKALIKES
                                                                for i in letters):
        return
    passing = []
    for digits in itertools.product(*(_DIGIT_LOOKALIKES[line1[i]] for i in letters)):
        chars = list(line1)
        for i, d in zip(letters, digits, strict=True):
            chars[i] = d
        fixed = "".join(chars)
        checks = mrz.td3_checks(fixed)
        if checks["number"] and checks["composite"]:
            passing.append((fixed, checks))
    if len(passing) == 1:
        read.line1, read.checks = passing[0]
