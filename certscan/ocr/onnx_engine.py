"""certscan's own OCR engine: ONNX Runtime sessions on the shipped PP-OCR models, cheap orientation.

One ``read`` = one detection (two only for a card turned by 90/270°, on a small image), one 0/180
classification of a few probe lines, one batched recognition of every line (and one more of the lines
read unsure, by PP-OCRv6 small: ``_reread_unsure``). Compared with the stock
RapidOCR pipeline it detects at a capped size instead of upsampling, classifies 4 lines instead of all,
never rotates or copies a large image, and keeps per-character alternatives for checksum repair.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np
import onnxruntime as ort

from certscan.ocr import classify, detect, models, orient
from certscan.ocr.detect import DetParams
from certscan.ocr.recognize import Recognition, crop_quad, recognize
from certscan.ocr.types import Line, Page, Quad


@dataclass
class EngineOptions:
    threads: int = 2
    det: detect.DetParams = field(default_factory=detect.DetParams)
    work_max_side: int = 2000  # images are scaled to this before anything else
    probe_lines: int = 4
    rec_batch: int = 8
    min_line_height: float = 6.0  # in work-image pixels; smaller boxes are specks, not text
    small_text_height: float = 22.0  # median line height (det input px) below which det zooms in
    zoom_text_height: float = 40.0
    zoom_max_side: int = 1600
    few_lines: int = 5  # fewer small boxes than this: zoom on the whole image, not their extent
    look_again_when_empty: bool = True  # nothing detected: detect again at zoom_max_side
    zoom_upsample: bool = False  # the zoom enlarges a region whose text is small in its own pixels
    min_upsample: float = 1.5  # ... when it would enlarge it at least this much (rows under ~27 px)
    sure_read_confidence: float = 0.9  # orientation tie-break: both probes read this well = upright
    # Lines read below this mean character confidence are read again, in one more recognition call, and
    # merged with their first read (``surer``; 0 disables): see ``_reread_unsure``.
    reread_below: float = 0.8
    # A page whose median detected line is under ``low_res_line_height`` px high in the input image (a
    # low-resolution photo: text 8-12 px, boxes 15-26 px; other photos' boxes are 30 px or more) can have
    # its lines read under ``low_res_reread_below`` read by the second recogniser too: see ``_low_res``.
    # Off by default (0): on two seeds' low-res cards 1.0 read 5 more fields of ~600 each (a third seed:
    # 1 fewer), but small real scans (passports 500 px wide, business licences 900 px) are such pages, and
    # ../shared/data cost 36 % more CPU (certscan/stock 2.39x -> 1.91x wall) for no field gained there.
    low_res_line_height: float = 0.0
    low_res_reread_below: float = 1.0
    reread_model: str = "rec_v6"  # the recogniser of that second look (models.MODEL_FILES), loaded lazily
    reread_blur: float = 1.0  # Gaussian sigma, in the crop's own pixels, softening its crops (0: none)
    fold_affine: bool = True  # models with their affine steps folded into convolutions (models.session)
    rec_int8_ops: frozenset[str] = frozenset()  # recogniser layers run as int8 (models.int8_ops)


class OnnxEngine:
    """Implements ``certscan.ocr.engine.OcrEngine``; sessions are shared per process (models.session)."""

    def __init__(self, options: EngineOptions | None = None) -> None:
        self.options = options or EngineOptions()
        t = self.options.threads
        fold = self.options.fold_affine
        self._det = models.session("det", t, fold)
        self._rec = models.session("rec", t, fold, self.options.rec_int8_ops)
        self._cls = models.session("cls", t, fold)
        self._charset = models.charset(self._rec)

    def load_all(self) -> None:
        """Build the second-look recogniser now as well (a worker's warm-up: the first unsure line of the
        first task should not pay for loading it)."""
        self._reread_session()

    # -- the protocol -------------------------------------------------------------------------------
    def detect(self, image: np.ndarray) -> list[Quad]:
        bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
        return detect.detect(self._det, bgr, self.options.det)

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognition]:
        if not crops:
            return []
        bgr = [np.ascontiguousarray(c[:, :, ::-1]) for c in crops]
        return recognize(self._rec, self._charset, bgr, self.options.rec_batch)

    def read(self, image: np.ndarray, det_max_side: int | None = None) -> Page:
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        work, scale = self._work_image(image)
        timings["prepare"] = time.perf_counter() - t0

        params = self.options.det
        if det_max_side:
            params = detect.DetParams(**{**params.__dict__, "max_side": det_max_side})
        t0 = time.perf_counter()
        h, w = work.shape[:2]
        first = detect.detect(self._det, work, params)
        angle = 0
        if orient.mostly_vertical(first):
            # Turned by 90 or 270: detect again on the (small) work image turned by 90 so lines are
            # horizontal; the 0/180 step below then tells 90 from 270. The box shapes of the plain
            # detection decide, so the zoomed re-detection runs once, in the upright frame only.
            angle = 90
            turned = orient.rotate_to_upright(work, 90)
            quads = [orient.from_upright(q, w, h, 90) for q in self._detect_zoomed(turned, params)]
        else:
            quads = self._detect_zoomed(work, params, first)
        timings["det"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        quads = [q for q in quads if self._line_height(q, w, h, angle) >= self.options.min_line_height]
        flipped, known = self._upside_down(image, quads, scale, w, h, angle)
        if flipped:
            angle = (angle + 180) % 360
        timings["orient"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        upright_quads = [detect.order_quad(orient.to_upright(q, w, h, angle)) for q in quads]
        todo = [i for i in range(len(quads)) if i not in known]
        crops = [self._crop(image, upright_quads[i], scale, w, h, angle) for i in todo]
        read_now = recognize(self._rec, self._charset, crops, self.options.rec_batch)
        by_index = {**known, **dict(zip(todo, read_now, strict=True))}
        reads = [by_index[i] for i in range(len(quads))]
        cropped = dict(zip(todo, crops, strict=True))  # the probe lines read while orienting have none

        def crop_of(i: int) -> np.ndarray:
            return cropped[i] if i in cropped else self._crop(image, upright_quads[i], scale, w, h, angle)

        low_res = self._low_res(first, scale)  # the plain detection's boxes: a zoom's are tighter
        below = self.options.low_res_reread_below if low_res else self.options.reread_below
        reads = self._reread_unsure(reads, crop_of, below)
        timings["rec"] = time.perf_counter() - t0

        uw, uh = orient.upright_size(w, h, angle)
        skew = orient.skew_degrees(upright_quads)
        centre = ((uw - 1) / 2, (uh - 1) / 2)
        lines = [Line(text=r.text, box=orient.rotate_points(q, -skew, centre), confidence=r.confidence,
                      chars=r.chars)
                 for q, r in zip(upright_quads, reads, strict=True) if r.text.strip()]
        lines = _reading_order(lines)
        anchors = np.array([[0, 0], [100, 0], [0, 100]], dtype=np.float32)
        in_image = orient.from_upright(orient.rotate_points(anchors, skew, centre), w, h, angle) * scale
        to_image = cv2.getAffineTransform(anchors, in_image.astype(np.float32))
        return Page(width=uw, height=uh, lines=lines, angle=round((angle + skew) % 360, 1), timings=timings,
                    to_image=to_image)

    def read_regions(self, image: np.ndarray, page: Page, quads: Sequence[np.ndarray]) -> list[Recognition]:
        """Recognise regions given in ``page`` coordinates, cut from the full-resolution input."""
        bgr = np.asarray(image[:, :, ::-1])  # a view: crop_quad copies only each region's pixels
        crops = [crop_quad(bgr, page.image_points(q)) for q in quads]
        return recognize(self._rec, self._charset, crops, self.options.rec_batch) if crops else []

    def _detect_zoomed(self, bgr: np.ndarray, params: DetParams,
                       found_first: list[np.ndarray] | None = None) -> list[np.ndarray]:
        """Detect (or take ``found_first``, a plain detection of ``bgr``); when the text came out small (a
        card far from the camera, or a low-resolution photo), detect again on the text's region scaled so
        lines are ``zoom_text_height`` px high in the detector's input, enlarging the region when its own
        pixels are too few. Nothing found at all: the whole image again at ``zoom_max_side`` (a faint or
        distant document whose rows the capped first detection could not separate)."""
        quads = detect.detect(self._det, bgr, params) if found_first is None else found_first
        h, w = bgr.shape[:2]
        det_scale = min(1.0, params.max_side / max(h, w))
        if not quads:
            zoom = self.options.zoom_max_side / max(h, w)
            if not self.options.look_again_when_empty or zoom <= det_scale * 1.2:
                return quads
            return self._detect_region(bgr, (0, 0, w, h), zoom, params, enlarge=True)
        heights = [min(orient.quad_extent(q)) for q in quads]
        if float(np.median(heights)) * det_scale >= self.options.small_text_height:
            return quads
        line_h = float(np.median(heights))
        if len(quads) < self.options.few_lines:
            # Almost nothing found: the document is small in the frame; look again at the whole image.
            x0, y0, x1, y1 = 0, 0, w, h
        else:
            pts = np.concatenate(quads)
            margin = 2.5 * line_h
            x0, y0 = (max(0, int(v - margin)) for v in pts.min(axis=0))
            x1, y1 = int(min(w, pts[:, 0].max() + margin)), int(min(h, pts[:, 1].max() + margin))
        zoom = min(self.options.zoom_text_height / line_h,
                   self.options.zoom_max_side / max(y1 - y0, x1 - x0))
        if self._zoom_seen(zoom) <= det_scale * 1.2:
            return quads  # the region is most of the image, or seen at the size it was: nothing to gain
        return self._detect_region(bgr, (x0, y0, x1, y1), zoom, params, self.options.zoom_upsample) or quads

    def _detect_region(self, bgr: np.ndarray, box: tuple[int, int, int, int], zoom: float,
                       params: DetParams, enlarge: bool) -> list[np.ndarray]:
        """Detection on ``bgr[y0:y1, x0:x1]`` seen ``zoom`` times its size, in ``bgr`` coordinates.

        The detector never enlarges its input (``max_side`` only caps it), so a region whose text is
        small in its own pixels (a low-resolution photo) is enlarged here first: at 8-10 px a row's
        strokes blur into the next row's and whole rows (a passport's MRZ) go unboxed."""
        x0, y0, x1, y1 = box
        region = np.ascontiguousarray(bgr[y0:y1, x0:x1])
        offset = np.array([x0, y0], dtype=np.float32)
        if zoom < self.options.min_upsample or not enlarge:
            # a slight enlargement shows the detector no stroke it could not separate at the region's
            # own size, and costs its square in detection time: the region as it is
            zoomed = detect.DetParams(**{**params.__dict__, "max_side": int(max(region.shape[:2]) * zoom)})
            return [q + offset for q in detect.detect(self._det, region, zoomed)]
        size = (round(region.shape[1] * zoom), round(region.shape[0] * zoom))
        enlarged = cv2.resize(region, size, interpolation=cv2.INTER_LINEAR)
        whole = detect.DetParams(**{**params.__dict__, "max_side": max(size)})
        return [q / zoom + offset for q in detect.detect(self._det, enlarged, whole)]

    def _zoom_seen(self, zoom: float) -> float:
        """The scale at which ``_detect_region`` shows a region asked for at ``zoom``: the detector never
        enlarges, so without ``zoom_upsample`` (or below ``min_upsample``) at most its own size. A small image
        already detected at its own size would otherwise be detected again at that size, for nothing."""
        if self.options.zoom_upsample and zoom >= self.options.min_upsample:
            return zoom
        return min(zoom, 1.0)

    # -- helpers ------------------------------------------------------------------------------------
    def _work_image(self, image: np.ndarray) -> tuple[np.ndarray, float]:
        """BGR copy capped at ``work_max_side``, and the factor from work to original coordinates.

        Scaled first, then converted: OpenCV copies a channel-flipped view whole before any call (43 ms on
        a 6 MP photo), and INTER_AREA at a fractional ratio costs ten times a pyramid step plus linear
        interpolation (63 vs 7 ms) for a picture that detection scales down again anyway.
        """
        h, w = image.shape[:2]
        cap = self.options.work_max_side
        if max(h, w) <= cap:
            return cv2.cvtColor(image, cv2.COLOR_RGB2BGR), 1.0
        s = cap / max(h, w)
        return cv2.cvtColor(shrink(image, (round(w * s), round(h * s))), cv2.COLOR_RGB2BGR), 1.0 / s

    def _low_res(self, quads: Sequence[np.ndarray], scale: float) -> bool:
        """Whether the median line of ``quads`` (boxes of the plain detection of the work image) is under
        ``low_res_line_height`` px high in the input image: text of 8-12 px, which v4 garbles even when it
        reads it fairly confidently."""
        if not quads or self.options.low_res_line_height <= 0:
            return False
        line_height = float(np.median([min(orient.quad_extent(q)) for q in quads])) * scale
        return line_height < self.options.low_res_line_height

    @staticmethod
    def _line_height(q: np.ndarray, w: int, h: int, angle: int) -> float:
        u = detect.order_quad(orient.to_upright(q, w, h, angle))
        return min(orient.quad_extent(u))

    def _crop(self, image: np.ndarray, upright_quad: np.ndarray, scale: float, w: int, h: int,
              angle: int) -> np.ndarray:
        """BGR strip of one line, cut from the full-resolution original (sharper than the work image)."""
        pts = orient.from_upright(upright_quad, w, h, angle) * scale
        return crop_quad(np.asarray(image[:, :, ::-1]), pts)  # a view: see crop_quad

    def _reread_unsure(self, reads: list[Recognition], crop_of: Callable[[int], np.ndarray],
                       below: float) -> list[Recognition]:
        """``reads`` with each unsure line (some text, mean confidence under ``below``: ``reread_below``, or
        ``low_res_reread_below`` on a low-resolution page) merged by
        ``surer`` with a second read of its crop (``crop_of(index)``, the one its first read saw), softened
        by a Gaussian blur of ``reread_blur``, by the ``reread_model`` recogniser.

        The lines read unsure are mostly low-resolution photos (text 5-8 px high) whose strokes are a few
        pixels wide under sensor noise and JPEG blocking; the recogniser takes that pixel-level texture for
        strokes, and a blur of about a pixel removes it while keeping strokes. PP-OCRv6 small reads these
        softened lines better than v4 does: on 26 low-resolution cards (real seed 6600) the lines held 100
        label values verbatim merged with a v6 read of the softened crop, 98 with v6 on the plain crop, 91
        with v4 on the softened crop (the second look before), 91 plain; the parsed fields of the 40 such
        cards went from 72.4 to 75.4 %. v6 costs about 1.6x v4 per line, so it reads only these lines, and
        is loaded on the first of them. Sharpening, CLAHE, denoising and 2-3x upsampling found nothing."""
        unsure = [i for i, r in enumerate(reads) if r.text and r.confidence < below]
        if not unsure:
            return reads
        sigma = self.options.reread_blur
        crops = [cv2.GaussianBlur(crop_of(i), (0, 0), sigma) if sigma > 0 else crop_of(i) for i in unsure]
        rec = self._reread_session()
        again = recognize(rec, models.charset(rec), crops, self.options.rec_batch)
        merged = {i: surer(reads[i], r) for i, r in zip(unsure, again, strict=True)}
        return [merged.get(i, r) for i, r in enumerate(reads)]

    def _reread_session(self) -> ort.InferenceSession:
        """The second-look recogniser, built on the first unsure line (a clean page never loads it). Not
        folded: v6 small has no scalar affine step to fold (same graph) and the pass doubles its load time."""
        kind = self.options.reread_model
        if kind == "rec":
            return self._rec
        return models.session(kind, self.options.threads)

    def _upside_down(self, image: np.ndarray, quads: list[np.ndarray], scale: float, w: int, h: int,
                     angle: int) -> tuple[bool, dict[int, Recognition]]:
        """0/180 from the line classifier on a few long lines; recognition confidence breaks a tie.

        Returns whether the page is upside down, and the reads a tie-break already made in the winning
        orientation (by index into ``quads``) so those lines, the longest on the page, are not read again.
        """
        probes = orient.pick_probe_quads(
            [detect.order_quad(orient.to_upright(q, w, h, angle)) for q in quads], self.options.probe_lines)
        if not probes:
            return False, {}
        upright = [detect.order_quad(orient.to_upright(quads[i], w, h, angle)) for i in probes]
        crops = [self._crop(image, q, scale, w, h, angle) for q in upright]
        scores = classify.upside_down_scores(self._cls, crops)
        mean = float(np.mean(scores))
        if abs(mean - 0.5) > 0.25:
            return mean > 0.5, {}
        # Unsure: read the two longest probes; read as they stand with high confidence they are upright
        # (a line read upside down rarely passes 0.9: few glyphs survive a half turn), otherwise read them
        # turned too and keep the more confident orientation.
        pair = crops[:2]
        as_is = recognize(self._rec, self._charset, pair, self.options.rec_batch)
        if min(r.confidence for r in as_is) >= self.options.sure_read_confidence:
            return False, dict(zip(probes, as_is, strict=False))
        flipped = [np.ascontiguousarray(np.rot90(c, 2)) for c in pair]
        turned = recognize(self._rec, self._charset, flipped, self.options.rec_batch)
        upside_down = sum(r.confidence for r in turned) > sum(r.confidence for r in as_is)
        return upside_down, dict(zip(probes, turned if upside_down else as_is, strict=False))


def surer(first: Recognition, second: Recognition) -> Recognition:
    """Two reads of one line merged: of the same length, each character from the read surer of it (each
    may get other characters right: 吴刚泽 read plain, 吴刚洋 softened but surer overall); else the read
    surer overall."""
    if first.chars and len(first.chars) == len(second.chars):
        chars = [a if a.confidence >= b.confidence else b
                 for a, b in zip(first.chars, second.chars, strict=True)]
        return Recognition(text="".join(c.best for c in chars),
                           confidence=float(np.mean([c.confidence for c in chars])), chars=chars)
    return second if second.confidence > first.confidence else first


def shrink(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``image`` scaled down to ``size`` (w, h): halved by pyramid steps (a blur against aliasing) while
    at least twice the target, then linear interpolation for the last factor (between 1/2 and 1)."""
    while min(image.shape[1] / size[0], image.shape[0] / size[1]) >= 2:
        image = cv2.pyrDown(image)
    if (image.shape[1], image.shape[0]) == size:
        return image
    return cv2.resize(image, size, interpolation=cv2.INTER_LINEAR)


def _reading_order(lines: list[Line]) -> list[Line]:
    """Top to bottom, lines sharing a row left to right (the order parsers and humans expect)."""
    lines = sorted(lines, key=lambda ln: ln.y0)
    rows: list[list[Line]] = []
    for ln in lines:
        if rows and abs(rows[-1][0].cy - ln.cy) < 0.5 * max(ln.height, 1.0):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return [ln for row in rows for ln in sorted(row, key=lambda ln: ln.x0)]
