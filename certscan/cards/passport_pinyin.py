"""A Chinese passport's printed name checked against its pinyin (the MRZ's surname and given names).

The data page prints each name twice: in characters (周丹洁) and in Hanyu Pinyin (ZHOU / DANJIE, the
MRZ's spelling). A character the recogniser misread (周丹活) usually has another reading than the pinyin
says (活 HUO, not JIE); the recogniser's own alternatives for that position (``Line.chars``, top-k)
then often hold the right one (洁 JIE). The repair is taken only when exactly one character string
from the alternatives (one position changed, two at most) spells the pinyin: a character never comes
from outside the recogniser's choices, and a name two alternatives both spell is left as read.

Every reading of a polyphonic character counts (曾 CENG or ZENG, 长 CHANG or ZHANG), and ü is spelled
V, U or YU (吕 LV, LU or LYU) as passports wrote it over the years.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from pypinyin import Style, pinyin, pinyin_dict

from certscan.cards.text import edit_distance, is_subsequence
from certscan.checks.repair import sole_passing

# At most this many positions changed at once (a name has 1-4 characters; more changes fit anything).
MAX_CHANGES = 2
# Alternatives the recogniser scored below this are not tried.
MIN_PROB = 0.005


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@lru_cache(maxsize=4096)
def readings(ch: str) -> frozenset[str]:
    """Every pinyin a character is read with, capitals without tones; ü as V, U and YU."""
    if not _is_cjk(ch):
        return frozenset()
    out: set[str] = set()
    for reading in pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")[0]:
        r = reading.upper()
        out.add(r)
        if "V" in r:  # ü: LV (older passports), LU, LYU (since 2012 for L/N + ü)
            out.update({r.replace("V", "U"), r.replace("V", "YU")})
    return frozenset(out)


def spells(characters: str, target: str) -> bool:
    """``characters`` read one after another spell ``target`` (capital pinyin, spaces ignored)."""
    target = target.replace(" ", "").replace("<", "")
    if not characters or not target:
        return False
    ends = {0}  # positions of target reached after each character
    for ch in characters:
        options = readings(ch)
        if not options:
            return False
        ends = {e + len(r) for e in ends for r in options if target.startswith(r, e)}
        if not ends:
            return False
    return len(target) in ends


def repair_by_pinyin(best: str, alternatives: Sequence[Sequence[str]], target: str, keep: int = 2) -> str:
    """``best`` (the characters as read), or the one string from the recogniser's ``alternatives`` (per
    character, best first) that spells ``target`` when ``best`` does not; fewer changes first, and
    nothing changed when two strings with the same number of changes spell it."""
    if len(alternatives) != len(best) or spells(best, target) or not target.isalpha():
        return best
    if any(not readings(ch) for ch in best):
        return best  # a character pypinyin does not know: the check would be blind there
    # every position is tried, not only the unsure ones as in checks.repair: the pinyin, not the
    # recogniser's confidence, says which character is wrong
    pools = [[a for a in alternatives[i] if a != ch and _is_cjk(a)] for i, ch in enumerate(best)]
    changed, ambiguous = sole_passing(list(best), pools, range(len(best)), lambda s: spells(s, target),
                                      MAX_CHANGES)
    if changed is not None:
        return changed
    if ambiguous:
        return best
    # a speck read as a character (孙小亮峰 for 孙亮峰, LIANGFENG): the one character whose removal spells
    # the pinyin, when only one does (at least ``keep`` characters left: 孙小 for SUN keeps 孙)
    shorter = {best[:i] + best[i + 1:] for i in range(len(best))} if len(best) > keep else set()
    spelled = [s for s in shorter if spells(s, target)]
    return spelled[0] if len(spelled) == 1 else best


@lru_cache(maxsize=1)
def syllables() -> frozenset[str]:
    """Every toneless pinyin syllable pypinyin knows (ü as V, U and YU; interjections without a vowel,
    HM, NG, left out), built once when first needed: from the ~1,500 distinct toned readings of the
    dictionary's 42,000 characters (8 ms; each character's readings one by one: 60 ms)."""
    toned: set[str] = set()
    for value in pinyin_dict.pinyin_dict.values():
        toned.update(value.split(","))
    out: set[str] = set()
    for reading in toned:
        plain = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
        s = "".join(ch for ch in plain if not unicodedata.combining(ch)).upper()
        if s.isalpha() and re.search(r"[AEIOUV]", s):
            out.add(s)
            if "V" in s:
                out.update({s.replace("V", "U"), s.replace("V", "YU")})
    return frozenset(out)


def syllable_count(word: str) -> int:
    """The fewest pinyin syllables ``word`` splits into (0: it is no pinyin)."""
    known = syllables()
    best = [0] + [-1] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            fewer = best[end] < 0 or best[start] + 1 < best[end]
            if best[start] >= 0 and word[start:end] in known and fewer:
                best[end] = best[start] + 1
    return max(best[-1], 0)


# A Chinese surname and given name have one or two syllables each (four-character names are rare).
MAX_SYLLABLES = 2


def pinyin_name(word: str) -> bool:
    """``word`` spells a Chinese surname or given name in pinyin: one or two syllables."""
    return 0 < syllable_count(word) <= MAX_SYLLABLES


def pinyin_names(names: str, printed: set[str], filler_reads: str) -> tuple[str, str] | None:
    """(surname, given name) of a Chinese passport's MRZ names part whose fillers were read as letters
    (``JIASSKAIXUANSSSSSESSSKS``, ``YUK<ZI<<<``): the surname as the visual zone prints it, one or two
    filler reads as the separator, a given name in pinyin and filler reads after it (one letter in ten may be
    another: SSSSSISSSS). The longest
    given name is taken (a name's last letter may be one a filler is read as: MEIJIA, not MEIJI, before
    ESKSK); None when no surname fits or two surnames do."""
    found: dict[str, str] = {}
    for i in range(1, min(len(names), 7) + 1):
        surname = names[:i]
        if surname not in printed or not pinyin_name(surname):
            continue
        for k in (1, 2):
            if not set(names[i:i + k]) <= set(filler_reads):
                continue
            rest = names[i + k:]
            for j in range(len(rest), 0, -1):  # the longest given name first
                given, tail = rest[:j], rest[j:]
                # the tail: filler reads, up to one other letter in ten (SSSSSISSSS)
                if (given.isalpha() and sum(ch not in filler_reads for ch in tail) <= len(tail) // 10
                        and pinyin_name(given)):
                    if _preferred(given, found.get(surname, ""), printed):
                        found[surname] = given
                    break
    if len(found) != 1:
        return None
    ((surname, given),) = found.items()
    return surname, given


def _preferred(given: str, other: str, printed: set[str]) -> bool:
    """``given`` before ``other`` (two readings of where the separator ends: CC|HUACHAO, C|CHUACHAO): the
    one a printed word spells up to one letter (RUACHAO), else the longer."""
    def near_print(name: str) -> bool:
        return any(len(word) >= 3 and edit_distance(name, word) <= 1 for word in printed)

    if not other:
        return True
    if near_print(given) != near_print(other):
        return near_print(given)
    return len(given) > len(other)


def clean_pinyin_names(line0: str) -> bool:
    """An MRZ names line (line 1) of one pinyin surname and one pinyin given name, of one or two
    syllables each, fillers only around them: a Chinese names line read whole (``P<CHNFENG<<XINLING<<``)."""
    names = re.sub(r"[^A-Z<]", "<", line0[5:])  # what is no MRZ character is no name either
    clean = re.fullmatch(r"([A-Z]+)<<([A-Z]+)<*", names)
    return clean is not None and all(pinyin_name(name) for name in clean.groups())


def chn_state_realigned(line0: str) -> str | None:
    """A Chinese names line whose issuing state lost or gained a character (``P<HNXIE<<XIUJIA``: C lost,
    the names start one place early) with ``CHN`` put back and the names moved into place, when exactly
    one of those shifts makes it a clean pinyin names line and the read is none; else None."""
    if clean_pinyin_names(line0):
        return None
    # the state read as 1, 2 or 4 characters (where the names begin in the read), CHN with a letter lost
    # or one added: no letter read for another
    starts = [k for k in (3, 4, 6) if is_subsequence(*sorted((line0[2:k], "CHN"), key=len))]
    variants = {(line0[:2] + "CHN" + line0[k:]).ljust(len(line0), "<")[:len(line0)] for k in starts}
    clean = [v for v in variants if clean_pinyin_names(v)]
    return clean[0] if len(clean) == 1 else None
