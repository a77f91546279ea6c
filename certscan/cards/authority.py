"""签发机关 on the resident identity card's emblem side: the issuing public-security bureau, snapped onto
the bureaus the division table (GB/T 2260) allows.

The bureau is a closed vocabulary: ``<county>公安局`` for a county, county-level city or banner, and
``<city>公安局<district>分局`` (also printed without the district's 区: 北京市公安局朝阳分局) for a city's
district. A read is compared with every listed bureau sharing some of its characters, by an edit cost in
which the recogniser's own evidence counts: replacing a character by one of its scored alternatives
costs half, replacing a confidently read one costs more. The read is replaced only by a bureau clearly
nearer than any other (a district belongs to its city, so 湖州市公安局南湖区分局 is 南浔区's, Jiaxing owning
南湖区), never by one further than a quarter of its characters; anything else stays as read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cache

from certscan.cards.places import PLACEHOLDERS
from certscan.checks.regions import all_codes, region_name
from certscan.ocr.types import CharCandidates

# Characters every bureau has: they do not tell one bureau from another when picking whom to score.
_COMMON = frozenset("公安局分市县区")
# Edit costs: a character replaced by one the recogniser scored for it, by any other, by any other when
# the read was confident (it is less likely to be wrong than a bureau missing from the table), a
# character lost or added.
_ALTERNATIVE, _OTHER, _CONFIDENT, _GAP = 0.5, 1.0, 1.5, 1.0
_CONFIDENT_READ = 0.95
_MIN_ALTERNATIVE_PROB = 0.005
_SCORED = 120  # bureaus scored per read: those sharing the most distinctive characters with it


def _district_stem(name: str) -> str:
    """The district's name as bureaus also print it, without 区 (新区: 浦东新区 → 浦东), or ""."""
    for suffix in ("新区", "区"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return ""


@cache
def _bureau_owners() -> dict[str, str]:
    """Every bureau name the division table allows (see the module doc) → the bureau it names (a
    district's branch is named two ways: with its 区 and without)."""
    names: dict[str, str] = {}
    for code in all_codes():
        name = region_name(code)
        if name in PLACEHOLDERS or code.endswith("0000"):
            continue
        if code.endswith("00"):
            names[name + "公安局"] = name + "公安局"  # a prefecture-level city's own bureau
            continue
        city = region_name(code[:4] + "00")
        parent = city if city not in PLACEHOLDERS else region_name(code[:2] + "0000")
        if name.endswith("区") and parent:
            full = f"{parent}公安局{name}分局"
            names[full] = full
            stem = _district_stem(name)
            if stem:
                names.setdefault(f"{parent}公安局{stem}分局", full)
        else:
            names[name + "公安局"] = name + "公安局"
    return names


@cache
def bureaus() -> tuple[str, ...]:
    """Every bureau name the division table allows, sorted."""
    return tuple(sorted(_bureau_owners()))


@cache
def _index() -> dict[str, tuple[int, ...]]:
    """Distinctive character → the bureaus (by position in ``bureaus()``) holding it."""
    index: dict[str, set[int]] = defaultdict(set)
    for i, name in enumerate(bureaus()):
        for c in set(name) - _COMMON:
            index[c].add(i)
    return {c: tuple(sorted(ids)) for c, ids in index.items()}


def _sub_cost(read: CharCandidates | None, char: str) -> float:
    if read is None:
        return _OTHER
    if any(alt == char and p >= _MIN_ALTERNATIVE_PROB for alt, p in zip(read.chars[1:], read.probs[1:],
                                                                        strict=True)):
        return _ALTERNATIVE
    return _CONFIDENT if read.confidence >= _CONFIDENT_READ else _OTHER


def edit_cost(text: str, chars: Sequence[CharCandidates | None], name: str) -> float:
    """Weighted Levenshtein cost from the read ``text`` (per-position candidates ``chars``) to ``name``."""
    prev = [j * _GAP for j in range(len(name) + 1)]
    for i, c in enumerate(text, 1):
        cur = [i * _GAP]
        for j, n in enumerate(name, 1):
            sub = prev[j - 1] + (0.0 if c == n else _sub_cost(chars[i - 1], n))
            cur.append(min(sub, prev[j] + _GAP, cur[j - 1] + _GAP))
        prev = cur
    return prev[-1]


def _nearby(text: str) -> list[str]:
    """The bureaus sharing the most distinctive characters with ``text``."""
    shared: dict[int, int] = defaultdict(int)
    index = _index()
    for c in set(text) - _COMMON:
        for i in index.get(c, ()):
            shared[i] += 1
    names = bureaus()
    near = sorted((-count, i) for i, count in shared.items() if abs(len(names[i]) - len(text)) <= 4)
    return [names[i] for _, i in near[:_SCORED]]


def snap_bureau(text: str, chars: Sequence[CharCandidates] | None = None) -> str:
    """``text`` as the listed bureau it was read from, when one is clearly nearest; else ``text``.

    ``chars`` are the recogniser's candidates for each character of ``text`` (None: the text only)."""
    if len(text) < 4 or text in _bureau_owners():
        return text
    per_char: Sequence[CharCandidates | None] = (
        chars if chars is not None and len(chars) == len(text) else [None] * len(text))
    owners = _bureau_owners()
    # nearest first; on a tie the full name (with 区) before the short one of the same branch
    scored = sorted((edit_cost(text, per_char, name), owners[name] != name, name) for name in _nearby(text))
    if not scored:
        return text
    best, _, name = scored[0]
    runner_up = next((cost for cost, _, other in scored if owners[other] != owners[name]), float("inf"))
    if best > max(1.0, len(name) / 4) or runner_up - best < 0.5:
        return text
    return name


def one_character_choices(text: str) -> dict[tuple[int, bool], dict[str, str]]:
    """The listed bureaus ``text`` is one character away from, as the choice left open: (position in
    ``text``, whether a character was lost there rather than misread) → {the character that would
    stand there: the bureau it makes}. ``陵县公安局`` → {(0, True): {鄢: 鄢陵县公安局, 沅: 沅陵县公安局,
    …}}: a character lost or misread where several bureaus differ, which no edit cost can decide."""
    owners = _bureau_owners()
    choices: dict[tuple[int, bool], dict[str, str]] = defaultdict(dict)
    for name in _nearby(text):
        if len(name) == len(text):
            diffs = [k for k, (a, b) in enumerate(zip(text, name, strict=True)) if a != b]
            if len(diffs) == 1:
                choices[(diffs[0], False)].setdefault(name[diffs[0]], owners[name])
        elif len(name) == len(text) + 1:
            lost = next((k for k in range(len(name)) if name[:k] + name[k + 1:] == text), None)
            if lost is not None:
                choices[(lost, True)].setdefault(name[lost], owners[name])
    return dict(choices)
