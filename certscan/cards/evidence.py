"""Per-field confidence and position: the ``fieldDetails`` extra of every card's result object.

A post-processing step, independent of the card parsers: ``RecordingEngine`` wraps the OCR engine for one
scan and keeps every page the parser had read (``read``, ``read_regions``, ``recognize``); ``field_details``
then looks for each non-empty field value among those lines (``certscan.cards.evidence_match``) and reports

    "fieldDetails": {
        "<contract key>": {"confidence": 98.7, "box": [[x, y], [x, y], [x, y], [x, y]]},
        "address": {"confidence": 97.1, "box": [...], "lines": [[[x, y], ...], [[x, y], ...]]},
        "overallDimension.length": {"confidence": 99.2, "box": [...]},
        "authority": {"confidence": 95.0, "box": null},
        ...
    }

- ``confidence`` (0-100, 2 decimals): the mean recogniser probability of the value's characters as read;
  a character repaired from an alternative (check digits) counts with that alternative's probability, a
  character not found counts 0. When the value could not be located at all, the card's ``rate``.
- ``box``: 4 integer points in the pixels of the submitted image (after EXIF orientation), clockwise from
  the text's own top-left corner (on a card turned in the photo that is not the image's upper-left point),
  around the value's characters within its detected line (character positions are interpolated along the
  line, CJK full width, Latin and digits half). A value on several lines (an address) is boxed by their
  union, and ``lines`` lists each line's part (an MRZ line's box takes in its trailing fillers). ``null``
  when the value was not found, was found only in a re-read crop whose place in the image is unknown, or
  was printed twice with nothing to tell which one (the field's printed label tells, when it was read; so
  does another field with the same value that its label placed).
- Keys: every non-empty contract field (nested objects as dotted keys), except what is not printed text:
  booleans, ``angle``, confidences (``rate``, ``vehicleTypeRate``) and values the parser derives
  (the ID card's ``type``, the household pages' ``type``, the plate's ``vehicleType``); the passport's
  ``birthDay`` / ``expireDay`` repeat their date's entry.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import Any

import cv2
import numpy as np

from certscan.cards.evidence_forms import ISO_DATE, span_quad
from certscan.cards.evidence_match import Atoms, Found, LineIndex, Source
from certscan.constants import LONG_TERM
from certscan.ocr.engine import OcrEngine, Recognized
from certscan.ocr.types import Line, Page, Quad

log = logging.getLogger(__name__)

EXTRA_KEY = "fieldDetails"
_NOT_PRINTED = frozenset({"angle", "rate", "vehicleTypeRate"})
_DERIVED: dict[str, frozenset[str]] = {
    "id-card-front": frozenset({"type"}),
    "id-card-back": frozenset({"type"}),
    "household-head": frozenset({"type"}),
    "household-resident": frozenset({"type"}),
    "vehicle-num": frozenset({"vehicleType"}),
}
_SAME_AS = {"birthDay": "birthDate", "expireDay": "expireDate"}
# Fields that are one printed item when their values agree (a new licence's one code serves as both;
# the passport's name is its Latin name).
_ALIASES = {frozenset({"creditCode", "taxCode"}), frozenset({"name", "cnNameRaw"}),
            frozenset({"creditCode", "companySN"}), frozenset({"taxCode", "companySN"})}
# The labels printed before values that a card may print twice (dates) or that are short: they decide
# between equally good matches, never more.
_LABELS: dict[str, tuple[str, ...]] = {
    "birth": ("出生",), "nationality": ("民族",), "nation": ("民族",),
    "birthDate": ("出生日期", "Date of birth"), "expireDate": ("有效期至", "Date of expiry"),
    "issueDate": ("签发日期", "发证日期", "Date of issue"), "registerDate": ("注册日期", "登记日期"),
    "birthday": ("出生日期",), "establishDate": ("成立日期", "注册日期"), "vaildPeriod": ("营业期限",),
    "validStartDate": ("有效期限", "有效起始日期", "初次领证日期"), "validEndDate": ("有效期限", "至"),
    "startDate": ("有效期限",), "endDate": ("有效期限",), "height": ("身高",), "bloodType": ("血型",),
    "relationTo": ("与户主关系",), "appprovedPassengerCapacity": ("核定载人数",), "grossMass": ("总质量",),
    "unladenMass": ("整备质量",), "approvedLoad": ("核定载质量",), "tractionMass": ("准牵引总质量",),
    "birthPlace": ("出生地点", "Place of birth", "出生地"), "issuePlace": ("签发地点", "Place of issue"),
    "hometown": ("籍贯",), "capital": ("注册资本",), "paidInCapital": ("实收资本",),
    "surname": ("姓/", "Surname"), "givenName": ("名/", "Given names"),
    "srcCountry": ("国家码", "Country code"),
    "birthPlaceRaw": ("出生地点", "Place of birth"), "issuePlaceRaw": ("签发地点", "Place of issue"),
    "vehicleType": ("准驾车型", "车辆类型"), "copyId": ("副本编号", "副本"), "name": ("姓名",),
    "type": ("类型", "Type"),
}


def same_frame(image: np.ndarray, reference: np.ndarray) -> bool:
    """Whether ``image`` has the input's geometry (the input itself, or a colour transform of it such as
    the red channel the licence parsers read), so a page read from it is in the input's coordinates.

    Compared on the fine detail of small thumbnails (each minus its local mean): a colour transform keeps
    the text's edges where they are (correlation above 0.9 on the corpora), a turned, flipped or shifted
    image of the same size does not (below 0.25), even where the card's silhouette alone would agree."""
    if image is reference:
        return True
    if image.shape[:2] != reference.shape[:2]:
        return False
    step = max(1, max(image.shape[:2]) // 128)

    def detail(a: np.ndarray) -> np.ndarray:
        small = np.asarray(a[::step, ::step], dtype=np.float32)
        small = small.mean(axis=2) if small.ndim == 3 else small
        return (small - cv2.blur(small, (7, 7))).ravel()

    x, y = detail(image), detail(reference)
    if float(x.std()) < 0.5 or float(y.std()) < 0.5:
        return False  # flat: nothing to compare (and nothing to read)
    return float(np.corrcoef(x, y)[0, 1]) > 0.6


class RecordingEngine:
    """The scan's engine, keeping each page it returns; every other attribute is the engine's own."""

    def __init__(self, engine: OcrEngine, image: np.ndarray) -> None:
        self._engine = engine
        self._image = image
        self.sources: list[Source] = []

    def read(self, image: np.ndarray, *args: Any, **kwargs: Any) -> Page:
        page = self._engine.read(image, *args, **kwargs)
        self.sources.append(Source(page=page, in_frame=same_frame(image, self._image)))
        return page

    def detect(self, image: np.ndarray) -> list[Quad]:
        return self._engine.detect(image)

    def recognize(self, crops: Sequence[np.ndarray]) -> Sequence[Recognized]:
        reads = self._engine.recognize(crops)
        # Crops of unknown origin: their text counts for confidence, never for a box.
        lines = [_line(r, np.zeros((4, 2), np.float32)) for r in reads]
        self.sources.append(Source(page=Page(width=0, height=0, lines=lines), in_frame=False,
                                   rows_by_geometry=False))
        return reads

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._engine, name)  # AttributeError when the engine lacks it, as parsers expect
        if name == "read_regions" and callable(attr):
            return self._recording_regions(attr)
        return attr

    def _recording_regions(self, read_regions: Any) -> Any:
        def recorded(image: np.ndarray, page: Page, quads: Sequence[np.ndarray], *args: Any,
                     **kwargs: Any) -> Any:
            reads = read_regions(image, page, quads, *args, **kwargs)
            # Regions are given in ``page`` coordinates: mapped when that page is, and this image is the input
            # (or, for a page read from a crop its parser placed, that crop: the page's own image).
            known = any(s.page is page and s.mapped for s in self.sources)
            lines = [_line(r, np.asarray(q, dtype=np.float32)) for q, r in zip(quads, reads, strict=False)]
            self.sources.append(Source(
                page=Page(width=page.width, height=page.height, lines=lines, to_image=page.to_image,
                          crop_to_input=page.crop_to_input if known else None),
                in_frame=known and same_frame(image, self._image)))
            return reads

        return recorded


def _line(read: Recognized, box: np.ndarray) -> Line:
    return Line(text=read.text, box=box, confidence=float(read.confidence), chars=list(read.chars))


def _flat(fields: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in fields.items():
        if isinstance(value, dict):
            out += _flat(value, f"{prefix}{key}.")
        else:
            out.append((f"{prefix}{key}", value))
    return out


def _wanted(card: str, key: str, value: Any) -> bool:
    if isinstance(value, bool) or value is None or value == "":
        return False
    if key in _NOT_PRINTED or key in _DERIVED.get(card, frozenset()):
        return False
    return isinstance(value, str) or (isinstance(value, int | float) and float(value).is_integer())


def _locate(index: LineIndex, key: str, text: str, exclude: Atoms = frozenset()) -> Found | None:
    near = index.label_rows(_LABELS.get(key.split(".")[-1], ()))
    if text == LONG_TERM:
        return index.find_long_term(near, exclude)
    if ISO_DATE.fullmatch(text):  # never as digits inside another number (the ID number holds the birth date)
        return index.find_date(text, near, exclude)
    return index.find_literal(text, near, exclude)


def field_details(card: str, fields: dict[str, Any], rate: float, sources: Sequence[Source],
                  ) -> dict[str, dict[str, Any]]:
    """``fieldDetails`` for a parser's ``fields``, from the pages the engine read during the scan."""
    try:
        return _field_details(card, fields, rate, sources)
    except Exception:  # an extra must never fail a task whose fields were read
        log.exception("field details failed for a %s", card)
        return {}


def _field_details(card: str, fields: dict[str, Any], rate: float, sources: Sequence[Source],
                   ) -> dict[str, dict[str, Any]]:
    index = LineIndex(sources)
    texts = {key: value if isinstance(value, str) else str(int(value)) for key, value in _flat(fields)
             if key not in _SAME_AS and _wanted(card, key, value)}
    found = {key: _locate(index, key, text) for key, text in texts.items()}
    for key, text in texts.items():
        # Two fields with one value printed twice (birth place and home town): where one field's label
        # placed it, the other is not; what remains may be the other's.
        others = [f for k, f in found.items() if f is not None and k != key and texts[k] == text]
        if found[key] is None and others:
            found[key] = _locate(index, key, text, frozenset().union(*(index.atoms_of(f) for f in others)))
    _settle_shared_places(index, texts, found)
    out: dict[str, dict[str, Any]] = {}
    for key, place in found.items():
        out[key] = _entry(index, place) if place else {"confidence": round(float(rate), 2), "box": None}
    for key, original in _SAME_AS.items():
        if key in fields and fields[key] and original in out:
            out[key] = out[original]
    return out


def _settle_shared_places(index: LineIndex, texts: dict[str, str], found: dict[str, Found | None]) -> None:
    """Two fields with one value found at one place (the birth place read only in pinyin, its Chinese
    found where the issue place is printed): the place is the field's whose label is nearer; with no
    label to tell, neither's. Fields that are one printed item (``_ALIASES``) share it."""
    atoms = {k: index.atoms_of(f) for k, f in found.items() if f is not None}
    keys = list(atoms)
    losers: set[str] = set()
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            if texts[a] != texts[b] or frozenset((a, b)) in _ALIASES or not atoms[a] & atoms[b]:
                continue
            row, offset = min(atoms[a] & atoms[b])
            da, db = (index.label_distance(row, offset, index.label_rows(_LABELS.get(k.split(".")[-1], ())))
                      for k in (a, b))
            losers |= {a, b} if da == db else ({b} if da < db else {a})
    for key in losers:
        found[key] = None


def _entry(index: LineIndex, found: Found) -> dict[str, Any]:
    confidence = found.confidence if math.isfinite(found.confidence) else 0.0
    entry: dict[str, Any] = {"confidence": round(confidence, 2), "box": None}
    parts = [(index.lines[i], span) for i, span in sorted(found.spans.items())]
    if not parts or not all(source.mapped for (_, source), _ in parts):
        return entry
    quads = [(source.page, span_quad(line, *span)) for (line, source), span in parts]
    union = _union(quads)
    if not np.isfinite(union).all():
        return entry
    entry["box"] = _points(union)
    if len(quads) > 1:
        entry["lines"] = [_points(page.input_points(q)) for page, q in quads]
    return entry


def _union(quads: list[tuple[Page, np.ndarray]]) -> np.ndarray:
    """Input-image points of the quads' union: their bounding rectangle in page coordinates (pages are
    upright and deskewed), or in image coordinates when the parts come from different pages."""
    if len(quads) == 1:
        page, quad = quads[0]
        return page.input_points(quad)
    first = quads[0][0]
    if all(page is first or _same_map(page, first) for page, _ in quads):
        pts = np.concatenate([q for _, q in quads])
    else:
        first = Page(width=0, height=0)  # identity map: the points below are already the image's
        pts = np.concatenate([page.input_points(q) for page, q in quads])
    (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
    return first.input_points(np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]))


def _same_map(a: Page, b: Page) -> bool:
    ma, mb = a.input_map(), b.input_map()
    if ma is None or mb is None:
        return ma is None and mb is None
    return bool(np.allclose(ma, mb))


def _points(quad: np.ndarray) -> list[list[int]]:
    return [[round(float(x)), round(float(y))] for x, y in np.asarray(quad)[:4]]
