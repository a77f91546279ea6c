"""A business licence's address cut short by the seal: read again from where it stops (scripted
recogniser, no models)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np

from certscan.cards.business_address import (
    address_lines,
    completed_address,
    ends_as_address,
    reread_under_seal,
    trimmed_end,
)
from certscan.cards.ink import seal_share
from certscan.cards.labelled import Piece
from certscan.ocr.types import CharCandidates, Line, Page


@dataclass
class Read:
    text: str
    confidence: float
    chars: list[CharCandidates] = field(default_factory=list)


class ScriptedEngine:
    """Answers each recognition call with the given reads (last line continued, row below)."""

    def __init__(self, same_line: Read, below: Read) -> None:
        self.reads = [same_line, below]
        self.calls = 0

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Read]:
        self.calls += 1
        assert len(crops) == 2
        return self.reads


PAGE = Page(width=2000, height=1400, lines=[])
IMAGE = np.full((1400, 2000, 3), 255, dtype=np.uint8)


def parts() -> list[Piece]:
    return [Piece("安徽省安庆市桐城市前", 1300, 1585, 716, 749)]


def test_an_address_ending_as_one_is_not_read_again() -> None:
    engine = ScriptedEngine(Read("", 0.0), Read("", 0.0))
    address = "河北省邯郸市武安市城关街道中山大道551号"
    assert completed_address(address, parts(), IMAGE, PAGE, engine) == address  # type: ignore[arg-type]
    assert engine.calls == 0


def test_the_row_below_completes_an_address_cut_at_the_seal() -> None:
    engine = ScriptedEngine(Read("安徽省安庆市桐城市前", 0.99), Read("进乡兴隆村5组24号", 0.95))
    got = completed_address("安徽省安庆市桐城市前", parts(), IMAGE, PAGE, engine)  # type: ignore[arg-type]
    assert got == "安徽省安庆市桐城市前进乡兴隆村5组24号" and engine.calls == 1


def test_the_last_line_read_on_to_the_column_edge() -> None:
    engine = ScriptedEngine(Read("安徽省安庆市桐城市前进乡5号", 0.97), Read("", 0.0))
    got = completed_address("安徽省安庆市桐城市前", parts(), IMAGE, PAGE, engine)  # type: ignore[arg-type]
    assert got == "安徽省安庆市桐城市前进乡5号"


def test_unsure_or_foreign_rereads_are_not_taken() -> None:
    for below in (Read("进乡兴隆村5组24号", 0.5), Read("登记机关2025年12月29日", 0.99)):
        engine = ScriptedEngine(Read("", 0.0), below)
        got = completed_address("安徽省安庆市桐城市前", parts(), IMAGE, PAGE, engine)  # type: ignore[arg-type]
        assert got == "安徽省安庆市桐城市前"


def test_address_ends() -> None:
    assert ends_as_address("青山村191号") and ends_as_address("2单元1803室")
    assert not ends_as_address("3单元18") and not ends_as_address("阳光苑")
    assert trimmed_end("1单元2202室动监") == "1单元2202室"
    assert trimmed_end("中山大道551号") == "中山大道551号"


def test_company_type_read_after_the_name_and_capital_brackets() -> None:
    from certscan.cards.business import balance_brackets, company_name

    assert company_name("通化蓝海远教育咨询有限公司有限责任公司(自然人独资)") == "通化蓝海远教育咨询有限公司"
    assert company_name("昌吉德润锦企业管理合伙企业(有限合伙)") == "昌吉德润锦企业管理合伙企业(有限合伙)"
    assert balance_brackets("壹仟贰佰万元(人民币") == "壹仟贰佰万元(人民币)"


def test_a_name_ending_on_its_first_line_takes_no_line_below() -> None:
    from certscan.cards.business import company_name, name_lines

    first = "来宾汇丰环保科技有限公司"
    assert name_lines(first, first + "9组42号") == first
    branch = "苏州启明物流有限公司常熟市分公司"
    assert name_lines("苏州启明物流有限公司", branch) == branch
    assert name_lines("克孜勒苏柯尔克孜自治州海纳信息", "克孜勒苏柯尔克孜自治州海纳信息技术有限公司") == \
        "克孜勒苏柯尔克孜自治州海纳信息技术有限公司"
    name = "临沧天成新能源科技有限公司"
    assert company_name(name + "聖有限责任公司(自然人独资)") == name


def test_tax_code_part_read_with_a_look_alike_takes_the_valid_organisation_code() -> None:
    from certscan.cards.business import tax_code
    from certscan.checks import uscc

    body = "MAQ96PY0"
    org = f"{body}-{uscc.org_check_char(body)}"
    check = org[-1]
    assert tax_code("530629MAQ96PYO" + check, org) == "530629" + body + check
    assert tax_code("530629MAQ96PYA" + check, org) == "530629MAQ96PYA" + check  # A is no look-alike of 0


def test_the_right_half_of_a_letter_spaced_caption_is_no_value() -> None:
    from certscan.cards.business import caption_half, company_name

    assert company_name("尔宜春远航汽车服务有限公司") == "宜春远航汽车服务有限公司"
    assert caption_half("斤河南省平顶山市卫东区育才南路60号", "斤") == "河南省平顶山市卫东区育才南路60号"
    assert caption_half("尔康", "尔") == "尔康"


def test_a_line_below_a_house_number_is_no_part_of_the_address() -> None:
    def rows(*texts: str) -> list[Piece]:
        return [Piece(t, 1300, 1585, 716 + 40 * i, 749 + 40 * i) for i, t in enumerate(texts)]

    for tail in ("登记桃", "虹商行", "市"):
        assert [p.text for p in address_lines(rows("浙江省金华市磐安县太", "平乡双河村169号", tail))] == [
            "浙江省金华市磐安县太", "平乡双河村169号"]
    whole = rows("广西壮族自治区防城港市防城区新华街110号", "书香华庭16栋3单元", "3003室")
    assert address_lines(whole) == whole
    village = rows("山东省德州市齐河县", "宏伟乡青山村")
    assert address_lines(village) == village


class SealEngine:
    """Reads every crop as the given text; records the crops it was shown."""

    def __init__(self, text: str, confidence: float) -> None:
        self.read = Read(text, confidence)
        self.crops: list[np.ndarray] = []

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Read]:
        self.crops.extend(crops)
        return [self.read for _ in crops]


def _sealed_page() -> tuple[np.ndarray, Page, Line, Line]:
    image = np.full((200, 600, 3), 240, dtype=np.uint8)
    image[20:50, 20:300] = 30  # a black line
    image[100:130, 20:300] = 30
    cv2.circle(image, (250, 115), 40, (210, 35, 40), 4)  # the seal's ring across the second
    clear = Line("北京市朝阳区", np.array([[15, 15], [305, 15], [305, 55], [15, 55]], np.float32), 0.99)
    sealed = Line("号世纪公寓3T栋", np.array([[15, 95], [305, 95], [305, 135], [15, 135]], np.float32), 0.92)
    return image, Page(width=600, height=200, lines=[clear, sealed]), clear, sealed


def test_a_line_under_the_seal_is_read_again_without_it() -> None:
    image, page, clear, sealed = _sealed_page()
    engine = SealEngine("号世纪公寓21栋", 0.99)
    out = reread_under_seal(image, page, [clear, sealed], engine)  # type: ignore[arg-type]
    assert [ln.text for ln in out.lines] == ["北京市朝阳区", "号世纪公寓21栋"]
    assert len(engine.crops) == 1 and seal_share(engine.crops[0]) == 0.0  # only the sealed line, seal out


def test_a_reread_the_recogniser_is_less_sure_of_is_not_taken() -> None:
    image, page, clear, sealed = _sealed_page()
    out = reread_under_seal(image, page, [clear, sealed], SealEngine("号世纪公寓", 0.90))  # type: ignore[arg-type]
    assert out is page


class FourReads:
    """Answers the plain crops, then the crops with the seal painted out."""

    def __init__(self, *reads: Read) -> None:
        self.reads = list(reads)
        self.shown = 0

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Read]:
        self.shown = len(crops)
        return self.reads[: len(crops)]


def test_the_row_below_read_again_with_the_seal_painted_out() -> None:
    image = IMAGE.copy()
    cv2.circle(image, (1450, 775), 30, (210, 35, 40), 4)  # the seal's ring over the row below the address
    engine = FourReads(Read("", 0.0), Read("310案", 0.81), Read("", 0.0), Read("3101室", 0.97))
    got = completed_address("安徽省安庆市桐城市前", parts(), image, PAGE, engine)  # type: ignore[arg-type]
    assert engine.shown == 4 and got == "安徽省安庆市桐城市前3101室"
