"""Values of the household register pages (首页, 常住人口登记卡) made and checked as what they must be.

- Each cell's read is first made into its field's form (``printed_date``, ``migration``, ``household_type``,
  ``blood_type``, ``height``, ``nation``, ``person_name``, ``stamp_name``, ``id_number``,
  ``household_number``): OCR slips that the form rules out are mended, nothing is invented.
- The citizen number carries its own check character (GB 11643): when the number read in its cell fails
  it, every 18-character run on the page is tried, each repaired from the recogniser's per-character
  alternatives (one change at most, accepted only when exactly one change passes). A page holds one
  citizen number; the household number (户号) is 9 digits.
- The birth date printed on the page is the one inside the citizen number: a valid number settles a date
  whose cell was unread or read with a digit or two wrong.
- Several cells take their words from closed lists of the household register (婚姻状况, 兵役状况, 文化程度,
  宗教信仰, 户主或与户主关系): a read one character from exactly one listed word is that word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from certscan.cards.idcard import ETHNIC_GROUPS, ID_ALPHABET, number_valid, with_doubled_digit
from certscan.cards.layout import group_rows
from certscan.cards.places import fix_place_prefix, self_governing, township
from certscan.cards.readers import char_runs, line_chars
from certscan.cards.text import compact, digits_with_lookalikes, hamming, parse_date, strip_punct
from certscan.checks import idnumber
from certscan.checks.repair import DIGIT_MAP, plain_chars, repair
from certscan.ocr.types import CharCandidates, Line

MARITAL = ("未婚", "已婚", "初婚", "再婚", "复婚", "丧偶", "离婚")
MILITARY = ("未服兵役", "退出现役", "服现役", "预备役", "服预备役", "不服兵役", "退役")
EDUCATION = (
    "博士研究生", "硕士研究生", "研究生", "大学本科", "大学专科", "大学", "中等专科", "中专", "中技",
    "技工学校", "高中", "职业高中", "初中", "小学", "文盲或半文盲", "文盲", "半文盲", "学龄前儿童",
)
RELIGION = ("无", "佛教", "道教", "伊斯兰教", "天主教", "基督教")
RELATION = (
    "户主", "配偶", "妻", "夫", "子", "女", "长子", "次子", "三子", "四子", "五子", "独生子",
    "长女", "次女", "三女", "四女", "五女", "独生女", "养子", "养女", "继子", "继女", "儿媳", "女婿",
    "孙子", "孙女", "外孙子", "外孙女", "父亲", "母亲", "公公", "婆婆", "岳父", "岳母", "祖父", "祖母",
    "兄", "弟", "姐", "妹", "侄子", "侄女", "外甥", "外甥女", "其他",
)
# 职业 as registers print it: the common single words and the census's occupation classes. Unlike the lists
# above it is open (any trade may be written), so only a read one slip from one of these is snapped.
OCCUPATION = (
    "无", "学生", "职员", "职工", "工人", "农民", "教师", "医生", "护士", "会计", "司机", "军人", "干部",
    "公务员", "工程师", "个体经营", "个体工商户", "自由职业", "退休", "离休", "无业", "待业", "务农",
    "经商", "工程技术人员", "专业技术人员", "商业服务人员", "办事人员", "生产运输人员", "农林牧渔人员",
)
HOUSEHOLD_TYPES = ("家庭户", "集体户")
BLOOD_TYPES = ("A", "B", "O", "AB")
# a migration (何时由何地迁来) as printed whole: its date, 由, a place, 迁来
WHOLE_MIGRATION = re.compile(r"\d{4}年\d{2}月\d{2}日由.+迁来")
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "maritalStatus": MARITAL,
    "militaryService": MILITARY,
    "education": EDUCATION,
    "religion": RELIGION,
    "relationTo": RELATION,
}


# Whole reads OCR makes of a short listed word: 户主 squeezed into one character (住: 户's dot over 主),
# 子 read as the digit or the particle it resembles, 妻 read as 要 or 安 (its top and bottom halves).
LOOK_ALIKES = {"住": "户主", "7": "子", "了": "子", "要": "妻", "安": "妻"}


def snap_word(text: str, words: Sequence[str]) -> str:
    """``text`` when listed (or not near any word); else the one listed word of 2+ characters it
    differs from by one substituted character, or (words of 3+) by one lost character, or (a lone
    character) the one 2-character word it begins (丧 for 丧偶: its second character lost), else the
    one it ends (主 for 户主); a known
    whole misread of a listed word (``LOOK_ALIKES``) is that word.

    Why not ``vehicle_terms.snap`` or the places matcher: these cells hold a word and nothing else (no
    caption remnant before it, unlike the vehicle licence's terms, so no ending is kept), the lists
    hold many one- and two-character words that differ in one character (子/女, 长子/次子), so only a
    single candidate at one edit is taken (no nearest-of-several), and unlike place names a lost
    character is only recovered where the word is long enough or its remaining character unique."""
    s = compact(text)
    if LOOK_ALIKES.get(s) in words:
        return LOOK_ALIKES[s]
    if not s or s in words:
        return s if s else text
    near = {w for w in words if len(w) >= 2 and len(w) == len(s)
            and hamming(w, s) == 1}
    near |= {w for w in words if len(w) >= 3 and len(w) == len(s) + 1
             and any(w[:i] + w[i + 1:] == s for i in range(len(w)))}
    if len(s) == 1 and not near:
        near = {w for w in words if len(w) == 2 and w[0] == s}
    if len(s) == 1 and not near:  # the first character lost instead (户主 read as 主)
        near = {w for w in words if len(w) == 2 and w[1] == s}
    return near.pop() if len(near) == 1 else text


def occupation(text: str) -> str:
    """职业 as printed; a read one slip from one of the common words of three characters or more, or a
    lone character beginning one two-character word (教 for 教师), is that word. A two-character read is
    kept: other trades are written too, one character from a listed one (厨师, 律师 beside 教师)."""
    s = compact(text)
    return snap_word(text, OCCUPATION if len(s) == 1 else [w for w in OCCUPATION if len(w) >= 3])


def page_id_number(cell_read: str, lines: Sequence[Line], birthday: str = "") -> str:
    """``cell_read`` when it passes its checks; else the one valid (or repairable) 18-character run on
    the page, the one nearest ``cell_read`` when several differ; else ``cell_read``.

    ``birthday`` (YYYY-MM-DD, the 出生日期 cell as read) is the number's own date: a passing cell read
    whose date differs gives way to a number on the page that agrees; a repair agreeing with it is taken
    first (two changes allowed then, the date pinning eight of the positions), a run whose
    date digits were misread takes the cell's, and among several numbers the one agreeing is kept. A
    17-character run (a doubled digit read once, ``…2323…`` for ``…23323…``) is completed when exactly
    one doubling passes."""
    born = birthday.replace("-", "") if re.fullmatch(r"\d{4}-\d{2}-\d{2}", birthday) else ""
    if number_valid(cell_read) and (not born or cell_read[6:14] == born):
        return cell_read
    found: list[str] = []
    for line in lines:
        for run in char_runs(line_chars(line), ID_ALPHABET, max_gap=1):
            number = _run_number(run, born) if len(run) >= 18 else ""
            if len(run) == 17:
                number = with_doubled_digit("".join(_id_char(c.best) for c in run))
            if number and number not in found:
                found.append(number)
    if born and any(n[6:14] == born for n in found):
        found = [n for n in found if n[6:14] == born]
    elif number_valid(cell_read):  # it passes (a look-alike swap of the cell's read may): nothing agrees
        return cell_read
    if not found:
        return cell_read
    if len(found) == 1:
        return found[0]
    # several numbers on the page (a neighbour's card in the photo): the one the cell was read as
    return min(found, key=lambda n: hamming(n, cell_read.ljust(18)))


def _id_char(c: str) -> str:
    return DIGIT_MAP.get(c, c).upper()


def _run_number(run: Sequence[CharCandidates], born: str) -> str:
    """The citizen number an 18+ character run holds (its last 18), repaired from the recogniser's
    alternatives: first agreeing with the birth date ``born`` (YYYYMMDD, or "" unknown), its date digits
    put in from it when one or two of them were misread; else by the check alone; "" when neither
    passes."""
    run = list(run[-18:])
    if born:
        read_date = "".join(_id_char(c.best) for c in run[6:14])
        if hamming(read_date, born) <= 2:
            dated = [*run[:6], *plain_chars(born), *run[14:]]
            agreed = repair(dated, lambda n: number_valid(n) and n[6:14] == born, ID_ALPHABET,
                            max_changes=2)
            if agreed.valid:
                return agreed.text
    result = repair(run, number_valid, ID_ALPHABET, max_changes=1)
    return result.text if result.valid else _date_digit_repaired("".join(_id_char(c.best) for c in run))


def _date_digit_repaired(read: str) -> str:
    """A number whose birth date is no date (29490726, 19491331) has a date digit misread: the one change
    of one date digit that makes the number pass (date, region, check character), when exactly one
    does; else "". (One wrong digit and a wrong check character are always told apart by MOD 11-2, and
    the change must mend the date, so a few candidates at most are left.)"""
    if len(read) != 18 or not read[:17].isdigit():
        return ""
    if idnumber.birth_date(read) is not None and number_valid(read[:17] + idnumber.check_char(read[:17])):
        return ""  # its date (and region) pass: the slip may be anywhere
    passing = {trial for i in range(6, 14) for d in "0123456789"
               if number_valid(trial := read[:i] + d + read[i + 1:])}
    return passing.pop() if len(passing) == 1 else ""


def birthday_from_number(read_date: str, number: str) -> str:
    """``read_date`` (YYYY-MM-DD) checked against the birth date inside a valid citizen number: the
    number's date when the cell was unread or differs from it in one or two digits."""
    born_on = idnumber.birth_date(number)
    if not idnumber.checksum_ok(number) or born_on is None:
        return read_date
    born = born_on.isoformat()
    if not read_date:
        return born
    if len(read_date) == len(born) and hamming(read_date, born) <= 2:
        return born
    return read_date


_MIGRATION_VALUE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日?由")


def _same_value(read: str, line_text: str) -> bool:
    return bool(read) and (read in line_text or line_text in read)


def migrations_by_content(moved_to_address: str, moved_to_city: str,
                          lines: Sequence[Line]) -> tuple[str, str]:
    """(何时由何地迁来本址, 何时由何地迁来本市(县)) with either left unread (its caption and rules lost to
    blur) filled from the lines that read as a migration (``1994年12月09日由…``): the one beside a
    remnant of its caption (``也迁来本址``, ``市(县)``), or, both unread and exactly two such lines, by the
    form's order (本市(县) above 本址). A single line with no caption is left out: either could be it."""
    if moved_to_address and moved_to_city:
        return moved_to_address, moved_to_city
    found = {"address": moved_to_address, "city": moved_to_city}
    loose: list[str] = []
    for row in group_rows(list(lines)):
        for i, ln in enumerate(row):
            text = compact(ln.text)
            start = _MIGRATION_VALUE.search(text)
            if start is None or start.start() > 3:
                continue
            value = text[start.start():]
            caption = "".join(compact(other.text) for other in row[:i]) + text[: start.start()]
            key = "address" if caption.endswith("本址") else ""
            key = "city" if re.search(r"本市|市\(县\)|县\)$", caption) else key
            other = "city" if key == "address" else "address"
            if key and not found[key] and _same_value(found[other], value):
                # given to the other caption (its own caption unread, the other's band reaching it)
                found[key], found[other] = value, ""
            elif any(_same_value(v, value) for v in found.values()):
                continue  # read in its cell already
            elif key and not found[key]:
                found[key] = value
            elif not key:
                loose.append(value)
    if not any(found.values()) and len(loose) == 2:
        found["city"], found["address"] = loose
    return found["address"], found["city"]


_DATE_ONLY = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日?")


def last_date_line(lines: Sequence[Line], other_date: str) -> str:
    """The registration date (登记日期) by content, for a page whose caption was not read (half under
    the thumb or the seal: ``日期``): the lowest line holding a date and nothing else (the form's last
    row holds it; the birth date's row is higher and a migration's date is followed by its place),
    unless it is ``other_date`` (the birth date, already read) or most of the page's lines are below it
    (the birth date's row, 登记日期's unread). Empty when there is none."""
    dates = [ln for ln in lines if _DATE_ONLY.fullmatch(compact(ln.text))]
    if not dates:
        return ""
    last = max(dates, key=lambda ln: ln.cy)
    above = sum(ln.cy < last.cy for ln in lines)
    text = compact(last.text)
    return "" if text == other_date or above < 0.7 * len(lines) else text


# Digits OCR swaps inside ID numbers (tried one position at a time against the check digit).
_ID_SWAPS = {"0": "86", "1": "7", "3": "8", "5": "6", "6": "058", "7": "1", "8": "036", "9": "0", "X": "8"}


def printed_date(text: str) -> str:
    """The cell's ``YYYY年MM月DD日`` as YYYY-MM-DD; 月 read as 日 (its look-alike and neighbour) is put
    back first: 2013年11日26日 is 2013年11月26日, and a closing 日 read as a stroke after a two-digit day
    is dropped (2021年08月111: no day has three digits)."""
    text = re.sub(r"(\d{4}年\d{1,2})[日曰](?=\d{1,2}[日曰]?$)", r"\1月", compact(text))
    return parse_date(re.sub(r"(?<=\d{4}年\d{2}月\d{2})[1lI|]$", "日", text))


# What a migration's place ends with before 迁来: a division (县, 区, 乡 ...) or a house number.
_DIVISIONS = "省市县区州旗盟镇乡村组号路街道巷弄"
_PLACE_END = rf"[{_DIVISIONS}\d]"
# the divisions a place name never goes on from with a single character (a village or street may: 村口)
_PLACE_UNITS = "省市县区州旗盟号"
# Characters the recogniser reads for 迁 (the walking radical and a similar right side; 狂/猛 for its
# blurred shape; 证/注 for its radical read as 讠 or 氵 beside 千 read as 正/主): after a place's end,
# where no place name goes on with them.
_GO_LOOK_ALIKES = "连进近适过还迂狂猛证注"
# and for 来 after it (its strokes blurred into 米, 未, 类 ...)
_COME_LOOK_ALIKES = "米未末采莱乘类"

_MIGRATION = re.compile(
    r"^(?P<date>\d{4}年\d{1,2}月\d{1,2})[日曰目门]?(?P<by>由)?(?P<place>.*?)(?P<end>[迁送旺]?来|迁["
    + _COME_LOOK_ALIKES + "])?$"
)


def migration(text: str) -> str:
    """何时由何地迁来 as printed, ``YYYY年MM月DD日由<place>迁来``, with OCR slips in its fixed words and in
    the place's division names repaired; a cell holding one or two stray characters (seal ink) is empty."""
    if not re.search(r"\d", text) and len(text) <= 2:
        return ""
    text = re.sub(r"^\D{1,2}(?=\d{4}年)", "", text)  # ink before the date: the caption's or a speck
    text = re.sub(r"(?<=\d)易(?=\D|$)", "号", text)  # a house number's 号 read as its look-alike 易
    # 迁 misread as a look-alike right after the place (a division or house number ends it), read twice
    # (号连迁来) or read alone (县猛来): the place never ends in these characters there
    text = re.sub(rf"(?<={_PLACE_END})[{_GO_LOOK_ALIKES}]迁?(?=来)", "迁", text)
    text = re.sub(r"(?<=\d号)[^迁\d](?=迁来)", "", text)  # nothing follows a house number but 迁来
    # nor a county, city or district: one character between it and 迁来 is 迁 read twice (县记迁来,
    # 区辽迁来), and one before a closing 来 is 迁 misread (号蓬来) whatever it was read as
    text = re.sub(rf"(?<=[{_PLACE_UNITS}])[^迁\d{_DIVISIONS}](?=迁来$)", "", text)
    text = re.sub(rf"(?<={_PLACE_END})[^迁\d{_DIVISIONS}](?=来$)", "迁", text)
    # both words misread, after a place's end (县进类): nothing else ends a migration with these
    text = re.sub(rf"(?<={_PLACE_END})[{_GO_LOOK_ALIKES}][{_COME_LOOK_ALIKES}]$", "迁来", text)
    came = re.search(rf"[迁过送旺出]来|迁[{_COME_LOOK_ALIKES}]", text)
    if came:  # the printed text ends there (迁 or 来 misread); anything after is a neighbour's ink
        text = text[: came.start()] + "迁来"
    else:  # 来 under the clerk's stamp, read as the stamp's name (县迁李永安): no place follows there
        text = re.sub(rf"(?<={_PLACE_END})迁[^来{_DIVISIONS}]{{1,4}}$", "迁来", text)
    m = _MIGRATION.match(text)
    if not m or not m["by"]:
        return text
    end = "迁来" if m["end"] or text.endswith("迁") else ""
    place = m["place"].removesuffix("迁") if end else m["place"]
    if end:  # a house number read with 月 (its neighbour in the date): 开元西路710月迁来
        place = re.sub(r"(?<=\d)月$", "号", place)
    return f"{m['date']}日由{township(self_governing(fix_place_prefix(place)))}{end}"


def household_type(text: str) -> str:
    """户别 as printed; a three-character read one character away from 家庭户 / 集体户 (or missing one)
    is that word (the cell's small print is often read with one slip)."""
    s = compact(text)
    for word in HOUSEHOLD_TYPES:
        if s == word:
            return s
    for word in HOUSEHOLD_TYPES:
        if len(s) == 3 and hamming(s, word) == 1 and s[-1] == "户":
            return word
        if len(s) == 2 and s[-1] == "户" and s[0] in word[:2]:
            return word
    return text


def blood_type(text: str) -> str:
    """A, B, O or AB with look-alikes fixed (O read as 0 or as C, its ring broken by the blur: C is no
    blood type; B as 8) and specks around it (a rule read as 1) dropped; 不明 (unknown) from its first
    character; anything else as read."""
    if compact(text).startswith("不"):
        return "不明"  # the one Chinese answer: a lost 明 leaves it alone
    core = compact(text).strip("lI1|丨")  # a cell's rule read beside the letter
    s = re.sub(r"[^A-Z]", "", core.upper().translate(str.maketrans("0C8", "OOB")))
    return s if s in BLOOD_TYPES else text


def height(text: str) -> str:
    """身高 as printed (``175`` or ``175cm``); the c of cm read as 0, ( or e is restored (1820m → 182cm)."""
    m = re.fullmatch(r"(\d{2,3})[0oO(（eé]m", compact(text))
    return f"{m[1]}cm" if m else text


def nation(text: str) -> str:
    """民族 as printed (``汉族``); a read whose group is listed but whose 族 was misread (``汉旅``) is
    given its 族 back."""
    s = compact(text)
    if s.endswith("族") or len(s) < 2:
        return s
    group = s[:-1]
    return f"{group}族" if group in ETHNIC_GROUPS else s


def person_name(text: str) -> str:
    """A name is Chinese characters (and the · of transliterated names): marks around it are specks.
    Dashes a character wide (``——``) or ending the name are its 一 (杨健一 read as 杨健——)."""
    text = re.sub(r"[—－\-–]+$|[—－\-–]{2,}", "一", compact(text))
    return re.sub(r"[^\u4e00-\u9fff·]", "", text).translate(_NAME_LOOK_ALIKES)


# The recogniser reads 涵, common in given names, as 酒, which names never use (seen on both pages and in
# the stamp), the surname 曾 as 會, a traditional form the simplified print of a register never
# shows, and 宇 as 字 (one dot apart; 字 is no name character); a name character is given back.
_NAME_LOOK_ALIKES = str.maketrans({"酒": "涵", "會": "曾", "字": "宇"})


def household_number(text: str) -> str:
    """The 户号: the first run of five digits or more."""
    m = re.search(r"\d{5,}", compact(text))
    return m[0] if m else ""


def stamp_name(text: str) -> str:
    """The clerk's name in the stamp: Chinese characters, a trailing 印 dropped, and the remnant of the
    next caption (登记日期 / 签发日期 read as ``日期`` into the stamp's cell when its rule was lost) and
    whatever followed it."""
    s = re.sub(r"[^\u4e00-\u9fff]", "", compact(text)).translate(_NAME_LOOK_ALIKES)
    s = re.sub(r"(?<=..)(登记|签发)?日期.*$", "", s)
    return s[:-1] if len(s) >= 3 and s.endswith("印") else s


def id_number(text: str) -> str:
    """The 18-char citizen number, check-digit repaired by one look-alike swap when that is unique."""
    s = digits_with_lookalikes(strip_punct(text))
    if len(s) != 18 or idnumber.checksum_ok(s):
        return s
    found = set()
    for i, c in enumerate(s):
        for alt in _ID_SWAPS.get(c, ""):
            trial = s[:i] + alt + s[i + 1 :]
            if (alt != "X" or i == 17) and idnumber.is_valid(trial):
                found.add(trial)
    if i := len(s):  # a misread final X
        trial = s[:17] + "X"
        if i == 18 and idnumber.is_valid(trial):
            found.add(trial)
    return found.pop() if len(found) == 1 else s
