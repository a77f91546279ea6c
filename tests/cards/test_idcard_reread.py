"""The ID card's portrait side: a small card re-read enlarged when a value fails its check, the caption
misread before the group, and the number's division names weighed with the recogniser's alternatives."""

from __future__ import annotations

import numpy as np

from certscan.cards.base import ScanInput
from certscan.cards.idcard import ethnic_group, parse_front
from certscan.cards.idcard_address import address_with_region_names
from certscan.cards.idcard_reread import front_region, number_like_line
from certscan.checks.idnumber import check_char
from certscan.checks.repair import plain_chars
from certscan.ocr.types import CharCandidates, Line, Page
from tests.cards.pages import line

FIRST17 = "11010519900307123"
NUMBER = FIRST17 + check_char(FIRST17)


def small_card(number: str, name: str = "张明华", address: str = "北京市朝阳区建国路88号") -> list[Line]:
    """A card about 500 px wide in the middle of a 1800 × 1200 photo."""
    return [
        line("姓名", 700, 500, 730, 515), line(name, 745, 498, 800, 517),
        line("性别", 700, 530, 730, 545), line("男", 745, 528, 760, 547), line("民族汉", 800, 528, 850, 547),
        line("出生", 700, 560, 730, 575), line("1990年3月7日", 745, 558, 850, 577),
        line("住址", 700, 590, 730, 605), line(address, 745, 588, 950, 607),
        line("公民身份号码", 700, 680, 790, 695), line(number, 830, 678, 1080, 697),
    ]


class TwoReads:
    """The first page for the photo, the second for any other image (the enlarged card)."""

    def __init__(self, first: Page, second: Page) -> None:
        self.first, self.second = first, second
        self.images: list[np.ndarray] = []
        self.sides: list[int | None] = []

    def read(self, image: np.ndarray, det_max_side: int | None = None) -> Page:
        self.images.append(image)
        self.sides.append(det_max_side)
        return self.first if len(self.images) == 1 else self.second

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        raise AssertionError("not used")

    def recognize(self, crops: object) -> list[Line]:
        raise AssertionError("not used")


def photo_scan(first: list[Line], second: list[Line]) -> tuple[ScanInput, TwoReads]:
    engine = TwoReads(Page(width=1800, height=1200, lines=first, angle=90.0),
                      Page(width=1400, height=900, lines=second))
    image = np.full((1200, 1800, 3), 200, np.uint8)
    return ScanInput(card="id-card-front", image=image, engine=engine), engine


def test_a_small_cards_failed_number_is_read_again_enlarged() -> None:
    misread = NUMBER[:5] + "B" + NUMBER[6:9] + "A" + NUMBER[10:]  # two characters no repair can undo
    second = small_card(NUMBER, name="张明")  # the enlarged read: number valid, the name read otherwise
    scan, engine = photo_scan(small_card(misread), second)
    f = parse_front(scan).fields
    assert len(engine.images) == 2 and engine.images[1].shape[1] == 1400  # the card cut out and enlarged
    assert f["number"] == NUMBER and f["numberValid"] is True and f["birth"] == "1990-03-07"
    assert f["name"] == "张明"  # the read passing more checks is kept whole
    assert f["angle"] == 90.0


def test_a_value_failing_its_check_is_filled_from_the_second_read_the_rest_kept() -> None:
    # the first read's address is garbled (no province first); the second's group was not boxed
    first = small_card(NUMBER, address="古林成西平东型利品有法")
    second = [ln for ln in small_card(NUMBER, name="张朋华") if ln.text != "民族汉"]  # its group unread
    scan, engine = photo_scan(first, second)
    f = parse_front(scan).fields
    assert len(engine.images) == 2
    assert f["address"] == "北京市朝阳区建国路88号" and f["name"] == "张明华"  # a tie keeps the first read


def test_a_card_reading_well_is_read_once() -> None:
    scan, engine = photo_scan(small_card(NUMBER), [])
    assert parse_front(scan).fields["numberValid"] is True and len(engine.images) == 1


def test_nothing_boxed_reads_the_whole_photo_with_a_closer_detector() -> None:
    scan, engine = photo_scan([], small_card(NUMBER))
    f = parse_front(scan).fields
    assert engine.sides[1] is not None and engine.sides[1] > 960 and f["number"] == NUMBER


def test_the_card_region_is_placed_from_a_misread_number() -> None:
    lines = small_card("A2082719470128FA83")
    page = Page(width=1800, height=1200, lines=lines)
    number = number_like_line(page)
    assert number is not None and number.text == "A2082719470128FA83"
    quad = front_region(page)
    assert quad is not None
    (x0, y0), (x1, y1) = quad.min(axis=0), quad.max(axis=0)
    assert x0 < 700 and x1 > 1080 and y0 < 498 and y1 > 697  # every row of the card inside


def test_a_group_after_its_caption_read_one_character_wrong() -> None:
    assert ethnic_group("民旅鑫") == "鑫"  # the caption is no part of the group (its alternatives decide)
    assert ethnic_group("氏族回") == "回"
    assert ethnic_group("蒙古") == "蒙古"
    # the caption alone, its group not boxed: no value (the group's place is then read again)
    assert ethnic_group("民旅") == "" and ethnic_group("民") == ""


def test_division_names_weigh_the_recognisers_alternatives() -> None:
    # 370684: 山东省 烟台市 蓬莱市; three characters misread, two of them offered
    read = "山东省地台市通菜市双河乡大营村203号"
    chars = plain_chars(read)
    chars[3] = CharCandidates(chars=("地", "培"), probs=(0.42, 0.07))
    chars[6] = CharCandidates(chars=("通", "蓬", "道"), probs=(0.44, 0.22, 0.15))
    chars[7] = CharCandidates(chars=("菜", "第", "莱"), probs=(0.55, 0.24, 0.06))
    assert address_with_region_names(read, "370684", chars) == "山东省烟台市蓬莱市双河乡大营村203号"
    assert address_with_region_names(read, "370684") == read  # three edits without the evidence
    # a suffix character read for a name's (县 for 昌) is replaced; the suffixes themselves stay
    mended = address_with_region_names("云南省保山市县宁县长江路790号", "530524")
    assert mended == "云南省保山市昌宁县长江路790号"
    assert address_with_region_names("江苏省无锡市梁溪县新华路1号", "320213") == "江苏省无锡市梁溪县新华路1号"
    # a character read for a suffix is the suffix when the recogniser offered it there (331123: 遂昌县)
    read = "浙江省丽水市速昌星迎宾大道202号"
    chars = plain_chars(read)
    chars[8] = CharCandidates(chars=("星", "里", "县"), probs=(0.66, 0.21, 0.06))
    assert address_with_region_names(read, "331123", chars) == "浙江省丽水市遂昌县迎宾大道202号"
    assert address_with_region_names(read, "331123", plain_chars(read)) == read
    # a suffix lost is not put back over the next character
    assert address_with_region_names("江苏省无锡市梁溪新华路1号", "320213") == "江苏省无锡市梁溪新华路1号"


def test_a_small_emblem_side_with_its_validity_unread_is_read_again() -> None:
    from certscan.cards.idcard import parse_back

    title = [line("中华人民共和国", 800, 400, 950, 420), line("居民身份证", 790, 430, 970, 460)]
    bureau = line("签发机关北京市公安局朝阳分局", 760, 520, 980, 535)
    first = [*title, bureau, line("有效期限Z临", 760, 545, 900, 560)]
    second = [*title, bureau, line("有效期限2015.06.01-长期", 760, 545, 980, 560)]
    engine = TwoReads(Page(width=1800, height=1200, lines=first), Page(width=1400, height=900, lines=second))
    scan = ScanInput(card="id-card-back", image=np.full((1200, 1800, 3), 200, np.uint8), engine=engine)
    result = parse_back(scan)
    assert len(engine.images) == 2 and "sex" not in result.extra
    f = result.fields
    assert (f["authority"], f["startDate"], f["endDate"]) == (
        "北京市公安局朝阳分局", "2015-06-01", "Long-term")


def test_a_valid_numbers_parity_settles_the_sex() -> None:
    from tests.cards.pages import scan

    lines = small_card(NUMBER)  # 110105199003071239: its 17th digit 3 is odd, a man
    lines[3] = line("女", 745, 528, 760, 547)
    assert parse_front(scan("id-card-front", lines)).extra["sex"] == "男"


def test_a_valid_number_from_the_second_read_brings_its_birth_date_and_sex() -> None:
    misread = NUMBER[:17] + ("0" if NUMBER[17] != "0" else "1")  # a wrong check character, no alternative
    first = small_card(misread)
    first[3] = line("女", 745, 528, 760, 547)
    first[6] = line("1998年3月7日", 745, 558, 850, 577)
    # the second read passes fewer checks (no name, group or address), but its number
    second = [small_card(NUMBER)[i] for i in (5, 6, 9, 10)]
    scan, engine = photo_scan(first, second)
    result = parse_front(scan)
    f = result.fields
    assert len(engine.images) == 2 and f["name"] == "张明华" and f["address"] == "北京市朝阳区建国路88号"
    assert f["number"] == NUMBER and f["numberValid"] is True
    assert f["birth"] == "1990-03-07" and result.extra["sex"] == "男"


def test_a_number_failing_its_check_takes_the_date_digits_its_birth_row_prints() -> None:
    from certscan.cards.idcard import number_with_printed_birth

    misread = NUMBER[:8] + "6" + NUMBER[9:]  # 1990 read 1960: the check character fails
    assert number_with_printed_birth(misread, "1990-03-07") == (NUMBER, True)
    assert number_with_printed_birth(misread, "1960-03-07") == (misread, False)  # the row agrees: no fix
    assert number_with_printed_birth(misread, "") == (misread, False)
    f = parse_front(scan_of(small_card(misread))).fields
    assert f["number"] == NUMBER and f["numberValid"] is True and f["birth"] == "1990-03-07"


def scan_of(lines: list[Line]) -> ScanInput:
    from tests.cards.pages import scan

    return scan("id-card-front", lines)
