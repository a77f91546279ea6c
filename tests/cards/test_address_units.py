"""An address's unit words (栋, 单元, 街道, an estate's 苑) mended from the recogniser's alternatives."""

from __future__ import annotations

from certscan.cards.address_units import mend_address_units
from certscan.cards.idcard import parse_front
from certscan.checks.repair import plain_chars
from certscan.ocr.types import CharCandidates, Line
from tests.cards.pages import line, scan
from tests.cards.test_idcard import front_lines


def unsure_line(text: str, alternatives: dict[int, tuple[str, ...]]):  # type: ignore[no-untyped-def]
    chars = plain_chars(text)
    for at, alts in alternatives.items():
        chars[at] = CharCandidates(chars=(text[at], *alts), probs=(0.45, *[0.3] * len(alts)))
    return line(text, 160, 306, 420, 338, chars)


def test_units_mended_from_the_alternatives() -> None:
    text = "中山街68号紫荆纯24档3维元803室"
    ln = unsure_line(text, {text.index("纯"): ("屯", "苑"), text.index("档"): ("栋", "楼")})
    assert mend_address_units(text, [ln]) == "中山街68号紫荆苑24栋3单元803室"


def test_a_street_office_and_what_is_kept() -> None:
    text = "龙泉街通振兴北路752号"
    ln = unsure_line(text, {text.index("通"): ("道", "进")})
    assert mend_address_units(text, [ln]) == "龙泉街道振兴北路752号"
    # without the alternatives nothing but 单元 changes: the read may be what is printed
    plain = line("东方明珠9栋2号楼3维元501室", 160, 306, 420, 338)
    assert mend_address_units(plain.text, [plain]) == "东方明珠9栋2号楼3单元501室"


def test_id_card_address_gets_its_units() -> None:
    lines = [unsure_line("院3档2维元501室", {2: ("栋",)}) if ln.text == "院3号楼2单元501室" else ln
             for ln in front_lines()]
    f = parse_front(scan("id-card-front", lines)).fields
    assert f["address"] == "北京市朝阳区建国路88号院3栋2单元501室"


def test_a_room_a_street_office_read_backwards_and_a_villages_group() -> None:
    text = "安乐海道金融北路777号碧桂华庭23栋3单元902星"
    ln = unsure_line(text, {text.index("海"): ("街", "御"), text.index("星"): ("室", "堂")})
    assert mend_address_units(text, [ln]) == "安乐街道金融北路777号碧桂华庭23栋3单元902室"
    sure = line("湖滨大道346号", 160, 306, 420, 338)  # a 大道 read surely is kept
    assert mend_address_units(sure.text, [sure]) == "湖滨大道346号"
    assert mend_address_units("北苑乡青山村3姐59号", []) == "北苑乡青山村3组59号"
    assert mend_address_units("青山村3号59号", []) == "青山村3号59号"


def test_a_lines_first_character() -> None:
    first = unsure_line("海道金融北路777号", {0: ("街", "御")})
    assert mend_address_units("安乐海道金融北路777号", [line("安乐", 160, 266, 220, 298), first]) \
        == "安乐街道金融北路777号"


def test_road_and_town_word_misread_take_the_recognisers_alternative() -> None:
    def value(text: str, alternatives: dict[str, str]) -> Line:
        chars = [CharCandidates(chars=(c, alternatives[c]), probs=(0.63, 0.35)) if c in alternatives
                 else CharCandidates((c,), (0.9,)) for c in text]
        return line(text, 150, 240, 700, 270, chars)

    town = "内蒙古自治区鄂尔多斯市达拉特旗平安锁黄庄村74号"
    fixed = mend_address_units(town, [value(town, {"锁": "镇"})])
    assert fixed == town.replace("锁", "镇")
    street = "福建省泉州市鲤城区张家街通民主街202号"
    fixed = mend_address_units(street, [value(street, {"通": "道"})])
    assert fixed == street.replace("通", "道")
    road = "陕西省延安市宝塔区花园大适710号"
    assert mend_address_units(road, [value(road, {"适": "道"})]) == road.replace("适", "道")
    # 镇 offered where no village's name follows, 道 where no number follows: kept as read
    plain = "北京市朝阳区金台锁大厦6层"
    assert mend_address_units(plain, [value(plain, {"锁": "镇", "厦": "道"})]) == plain


def test_house_number_followed_by_a_misread_hao_takes_the_recognisers_alternative() -> None:
    text = "广东省佛山市禅城区开元路751司"
    chars = [CharCandidates(chars=(c, "号"), probs=(0.9, 0.05)) if c == "司" else CharCandidates((c,), (0.9,))
             for c in text]
    value = line(text, 150, 240, 700, 270, chars)
    assert mend_address_units(text, [value]) == "广东省佛山市禅城区开元路751号"
    room = "北京市朝阳区建国路1号3栋502室"  # units after a number stay, whatever the alternatives
    units = [CharCandidates(chars=(c, "号"), probs=(0.9, 0.05)) for c in room]
    unit_line = line(room, 150, 240, 700, 270, units)
    assert mend_address_units(room, [unit_line]) == room
