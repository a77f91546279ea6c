"""Resident-page values checked against what they must be: the citizen number found and repaired anywhere
on the page, the birth date inside it, closed word lists (no models)."""

from __future__ import annotations

import numpy as np

from certscan.cards import household
from certscan.cards.household_values import (
    EDUCATION,
    MARITAL,
    MILITARY,
    RELATION,
    RELIGION,
    birthday_from_number,
    last_date_line,
    migrations_by_content,
    occupation,
    page_id_number,
    snap_word,
)
from certscan.checks import idnumber
from certscan.ocr.types import CharCandidates, Line, Page

ID = "11010519491231002X"  # GB 11643-1999 annex example


def line(text: str, x0: float, y0: float, chars: list[CharCandidates] | None = None) -> Line:
    x1 = x0 + 30 * len(text)
    box = np.array([[x0, y0], [x1, y0], [x1, y0 + 30], [x0, y0 + 30]], dtype=np.float32)
    return Line(text=text, box=box, confidence=0.9, chars=chars or [])


def test_a_read_one_character_from_one_listed_word_is_that_word() -> None:
    assert snap_word("退出现校", MILITARY) == "退出现役"
    assert snap_word("佛孜", RELIGION) == "佛教"
    assert snap_word("大学专", EDUCATION) == "大学专科"  # a lost character, in a word of three or more
    assert snap_word("未服兵役", MILITARY) == "未服兵役"


def test_a_lone_character_beginning_one_two_character_word_is_that_word() -> None:
    assert snap_word("丧", MARITAL) == "丧偶"
    assert snap_word("中", EDUCATION) == "中"  # 中专 or 中技
    assert snap_word("长", RELATION) == "长"  # 长子 or 长女
    assert snap_word("要", RELATION) == "妻" and snap_word("安", RELATION) == "妻"
    # or ending one: the first character lost
    assert snap_word("主", RELATION) == "户主"
    assert snap_word("婚", MARITAL) == "婚"  # 已婚, 离婚 ...


def test_an_occupation_one_slip_from_one_common_word_is_that_word() -> None:
    assert occupation("自由职止") == "自由职业"
    assert occupation("教") == "教师"  # its second character lost
    assert occupation("职") == "职"  # 职员 or 职工
    assert occupation("无") == "无"  # printed so
    assert occupation("厨师") == "厨师"  # an unlisted trade one character from 教师 is kept as read


def test_a_read_near_two_words_or_none_is_kept() -> None:
    assert snap_word("长干", RELATION) == "长干"  # 长子 or 长女: the list cannot tell
    assert snap_word("自由职业", MILITARY) == "自由职业"
    assert snap_word("", RELIGION) == ""


def test_the_number_is_taken_from_the_page_when_its_cell_fails() -> None:
    lines = [line("公民身份证", 80, 100), line("12345", 400, 100), line(ID, 400, 300)]
    assert page_id_number("12345", lines) == ID
    assert page_id_number("", [line("户号123456789", 80, 40)]) == ""


def test_the_number_on_the_page_is_repaired_from_the_recogniser_alternatives() -> None:
    wrong = ID[:10] + "3" + ID[11:]  # 1949 1231 → 1949 1331: month 13, check fails
    chars = [CharCandidates((c,), (0.99,)) for c in wrong]
    chars[10] = CharCandidates(("3", "1"), (0.55, 0.4))
    assert not idnumber.is_valid(wrong)
    assert page_id_number(wrong, [line(wrong, 400, 300, chars)]) == ID


NUMBER = "513233196811132508"  # a valid number (region 513233, born 1968-11-13)


def test_the_birthday_cell_chooses_among_numbers_that_pass() -> None:
    # the cell read passes (with another date, 1908: a look-alike swap can make it pass) but the
    # birthday cell says 1968: the page's run agreeing with it (its doubled 3 read once) is the number
    other_date = NUMBER[:9] + "0" + NUMBER[10:17]
    other_date += idnumber.check_char(other_date)
    assert idnumber.is_valid(other_date)
    lost_three = NUMBER[:4] + NUMBER[5:]  # 51323196811132508
    lines = [line(lost_three, 400, 300)]
    assert page_id_number(other_date, lines, "1968-11-13") == NUMBER
    assert page_id_number(other_date, lines) == other_date  # no birthday read: the cell's read stands
    assert page_id_number("", lines) == NUMBER  # one doubling passes
    # a passing read with no agreeing number on the page is kept
    assert page_id_number(ID, [line("户号123456789", 80, 40)], "1968-11-13") == ID


def test_a_number_whose_date_digits_were_misread_takes_the_birthday_cell() -> None:
    wrong = NUMBER[:9] + "5" + NUMBER[10:13] + "8" + NUMBER[14:]  # two date digits misread, fails
    assert not idnumber.checksum_ok(wrong)
    assert page_id_number(wrong, [line(wrong, 400, 300)], "1968-11-13") == NUMBER
    assert page_id_number(wrong, [line(wrong, 400, 300)]) == wrong  # without it nothing passes


def test_a_number_whose_date_is_no_date_has_that_digit_mended_by_its_check() -> None:
    future = "330305294907265377"  # 1949 read as 2949: only the year's first digit can mend it
    assert page_id_number(future, [line(future, 400, 300)]) == "330305194907265377"
    wrong_day = "330305194907265378"  # a plausible date and a wrong check character: nothing to go by
    assert page_id_number(wrong_day, [line(wrong_day, 400, 300)]) == wrong_day


def test_the_birth_date_inside_a_valid_number_settles_the_birthday() -> None:
    assert birthday_from_number("", ID) == "1949-12-31"
    assert birthday_from_number("1940-12-31", ID) == "1949-12-31"
    assert birthday_from_number("1972-05-06", ID) == "1972-05-06"  # not a misread of the number's date
    assert birthday_from_number("1940-12-31", ID[:17] + "1") == "1940-12-31"  # number fails its check


def test_a_resident_page_whose_number_caption_is_covered() -> None:
    page = Page(width=1500, height=600, lines=[
        line("常住人口登记卡", 560, 40),
        line("姓名", 100, 150), line("张伟", 330, 150),
        line("证件编号", 120, 300), line(ID, 420, 300),  # 公民身份 under a sticker
        line("血型", 1180, 300), line("不", 1300, 300),
    ])
    out = household.parse_resident_page(page).fields
    assert out["idNumber"] == ID
    assert out["birthday"] == "1949-12-31"
    assert out["bloodType"] == "不明"


def test_the_household_number_beside_the_title_is_read_without_its_caption() -> None:
    page = Page(width=1500, height=600, lines=[
        line("常住人口登记卡", 560, 40), line("户988907558", 800, 45),  # 号 lost
        line("姓名", 100, 150), line("张伟", 330, 150),
    ])
    assert household.parse_resident_page(page).fields["householdNumber"] == "988907558"
    page.lines[1] = line("户9699996", 800, 45)  # seven digits: a blurred read, not taken without caption
    assert household.parse_resident_page(page).fields["householdNumber"] == ""
    page.lines[1] = line("988907558", 800, 300)  # a number on another row is not it
    assert household.parse_resident_page(page).fields["householdNumber"] == ""


def test_a_name_whose_unsure_first_character_is_no_surname_takes_the_alternative_that_is_one() -> None:
    unsure = [CharCandidates(("非", "张"), (0.5, 0.3)), CharCandidates(("诗",), (0.99,))]
    page = Page(width=1500, height=600, lines=[
        line("常住人口登记卡", 560, 40), line("姓名", 100, 150), line("非诗", 330, 150, unsure),
    ])
    assert household.parse_resident_page(page).fields["name"] == "张诗"
    unsure[0] = CharCandidates(("非", "张"), (0.95, 0.03))  # read surely: a rare surname stays
    assert household.parse_resident_page(page).fields["name"] == "非诗"


class _CellReader:
    """Recognises any crop as the citizen number (a cell read whole after the detector cut it short)."""

    def __init__(self) -> None:
        self.crops: list[np.ndarray] = []

    def recognize(self, crops: list[np.ndarray]) -> list[Line]:
        self.crops.extend(crops)
        return [line(ID, 0, 0, [CharCandidates((c,), (0.99,)) for c in ID]) for _ in crops]


def test_a_cell_holding_ink_is_read_whole_as_one_line() -> None:
    from certscan.cards.table import Cell
    image = np.full((200, 600, 3), 245, dtype=np.uint8)
    image[90:110, 120:400] = 20  # the number's ink
    reader = _CellReader()
    cell = Cell(1, 100.0, 80.0, 500.0, 120.0)
    lines = household._reread_cell(image, Page(width=600, height=200), reader, cell)  # type: ignore[arg-type]
    assert [ln.text for ln in lines] == [ID] and len(reader.crops) == 1
    assert page_id_number("44080419450", lines) == ID
    blank = np.full((200, 600, 3), 245, dtype=np.uint8)
    assert household._reread_cell(blank, Page(width=600, height=200), reader, cell) == []  # type: ignore[arg-type]


CITY = "1994年12月09日由湖北省武汉市汉南区迁来"
ADDRESS = "1994年12月09日由湖北省武汉市汉南区黄河路637号迁来"


def test_migrations_whose_captions_are_lost_are_read_by_content() -> None:
    # both captions lost to blur: two migration lines, in the form's order (本市(县) above 本址)
    lines = [line("何", 80, 400), line(CITY, 400, 400), line(ADDRESS, 400, 460)]
    assert migrations_by_content("", "", lines) == (ADDRESS, CITY)
    # one line and no caption: either could be it
    assert migrations_by_content("", "", [line(ADDRESS, 400, 460)]) == ("", "")
    # a remnant of its caption on its row says which
    remnant = [line("也迁来本址", 80, 460), line(ADDRESS, 400, 460)]
    assert migrations_by_content("", "", remnant) == (ADDRESS, "")
    # read under the other caption (its own unread): moved to the one its row names
    assert migrations_by_content(CITY, "", [line("市(县)", 300, 400), line(CITY, 400, 400)]) == ("", CITY)
    # both read in their cells: unchanged
    assert migrations_by_content(ADDRESS, CITY, lines) == (ADDRESS, CITY)


def test_whole_misreads_of_a_short_listed_word() -> None:
    assert snap_word("住", RELATION) == "户主"  # 户主 squeezed into one character
    assert snap_word("7", RELATION) == "子"
    assert snap_word("住", RELIGION) == "住"  # not a misread of any word of that list


def test_the_registration_date_whose_caption_was_lost_is_the_last_date_line() -> None:
    rows = [line(f"caption {k}", 100, 100 + 40 * k) for k in range(8)]
    birth = line("1987年01月04日", 600, 140)
    registered = line("2023年03月17日", 600, 440)
    assert last_date_line([*rows, birth, registered], "1987年01月04日") == "2023年03月17日"
    # only the birth date's line: not the registration date, nor (its own read unread) a line high up
    assert last_date_line([*rows, birth], "1987年01月04日") == ""
    assert last_date_line([*rows, birth], "") == ""
    # a migration's date is followed by its place: no date line
    assert last_date_line([*rows, line("2001年02月03日由北京市迁来", 600, 440)], "") == ""

