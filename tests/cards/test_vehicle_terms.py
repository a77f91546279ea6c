"""Vehicle licence vocabularies: a slightly misread 车辆类型 / 使用性质 snaps to the printed term."""

from __future__ import annotations

import pytest

from certscan.cards.vehicle_terms import USE_CHARACTERS, VEHICLE_TYPES, snap


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        ("小型轿车", "小型轿车"),  # exact
        ("本辆型小型辆车", "小型轿车"),  # the label's tail, then one slip
        ("常中型答通客车", "中型普通客车"),
        ("类型重型半挂牵引车", "重型半挂牵引车"),  # a label remnant before an exact term
        ("", ""),
    ],
)
def test_vehicle_types(read: str, printed: str) -> None:
    assert snap(read, VEHICLE_TYPES) == printed


def test_ties_and_far_reads_stay_as_read() -> None:
    # 经型营通货车 is two slips from 轻型, 重型 and 中型普通货车 alike: no way to choose
    assert snap("经型营通货车", VEHICLE_TYPES) == "经型营通货车"
    assert snap("N", VEHICLE_TYPES) == "N"
    assert snap("拖拉机运输机组", VEHICLE_TYPES) == "拖拉机运输机组"


def test_a_tie_goes_to_the_one_term_the_read_only_lost_characters_of() -> None:
    # 仓式货车: 仓栅式货车 with 栅 lost, or 厢式货车 with 厢 read as 仓 (one edit each): a lost character
    assert snap("辆型重型仓式货车", VEHICLE_TYPES) == "重型仓栅式货车"
    # 重型厢货车 lost 式 of 厢式货车 alone: no tie to break
    assert snap("重型厢货车", VEHICLE_TYPES) == "重型厢式货车"


def test_use_characters() -> None:
    assert snap("非营运", USE_CHARACTERS) == "非营运"
    assert snap("非菅运", USE_CHARACTERS) == "非营运"
    assert snap("出租客远", USE_CHARACTERS) == "出租客运"
    assert snap("所", USE_CHARACTERS) == "所"


def test_model_brand_snapped_only_where_safe() -> None:
    from certscan.cards.vehicle_terms import model_with_brand

    assert model_with_brand("身五菱牌GJ16694") == "五菱牌GJ16694"  # a speck before the brand
    assert model_with_brand("比亚连牌WKV26846Y14") == "比亚迪牌WKV26846Y14"  # one slip in three
    assert model_with_brand("荣威ETC27326P") == "荣威牌ETC27326P"  # 牌 lost after a listed brand
    assert model_with_brand("大运牌CGC1250") == "大运牌CGC1250"  # an unlisted make, one off 大众: kept
    assert model_with_brand("丰田牌ZT5797W6K") == "丰田牌ZT5797W6K"
    assert model_with_brand("长安牌1NA5256N") == "长安牌NA5256N"  # a stroke before the maker's letters
    assert model_with_brand("长安牌1A5256N") == "长安牌1A5256N"
    assert model_with_brand("解放牌CSE3797KW2]") == "解放牌CSE3797KW2J"  # J's hook read as a bracket
    assert model_with_brand("传牌AD5362RA") == "传祺牌AD5362RA"  # the brand's rare second character lost
    assert model_with_brand("大牌AD5362RA") == "大牌AD5362RA"  # 大众, 大众汽车: no single brand


def test_model_past_a_caption_remnant_and_with_its_brand_head_put_back() -> None:
    from certscan.cards.vehicle_terms import model_with_brand

    # 品牌型号 read with its own 牌 (晶牌型等) merged before the value: the value starts at its brand
    assert model_with_brand("晶牌型等长安牌ZMW3137YL") == "长安牌ZMW3137YL"
    assert model_with_brand("晶牌型等大众汽车牌SVW7182QQD") == "大众汽车牌SVW7182QQD"
    # the brand's head lost to the caption's box: one listed brand ends with 利, three with 田
    assert model_with_brand("利牌XF2242V5L") == "吉利牌XF2242V5L"
    assert model_with_brand("田牌ZT5797W6K") == "田牌ZT5797W6K"
    assert model_with_brand("利牌") == "利牌"  # no code: nothing says this is the model


def test_model_brand_from_the_recognisers_other_candidates() -> None:
    import numpy as np

    from certscan.cards.vehicle_terms import brand_by_alternatives
    from certscan.ocr.types import CharCandidates, Line

    def read(text: str, offered: dict[int, str]) -> Line:
        others = [offered.get(k, "") for k in range(len(text))]
        chars = [CharCandidates(chars=(c, *o), probs=(0.9,) + (0.05,) * len(o))
                 for c, o in zip(text, others, strict=True)]
        return Line(text=text, box=np.zeros((4, 2), np.float32), confidence=0.9, chars=chars)

    assert brand_by_alternatives("传棋牌XS2312N", read("传棋牌XS2312N", {1: "祺麒"})) == "传祺牌XS2312N"
    assert brand_by_alternatives("荣威津CVR19791W", read("荣威津CVR19791W", {2: "牌祥"})) == "荣威牌CVR19791W"
    # 大运 is one slip from 大众, but 众 was not offered: an unlisted make stays
    assert brand_by_alternatives("大运牌CGC1250", read("大运牌CGC1250", {1: "远"})) == "大运牌CGC1250"
    assert brand_by_alternatives("传棋牌XS2312N", None) == "传棋牌XS2312N"


def test_model_code_letters_and_digits_in_their_places() -> None:
    from certscan.cards.vehicle_terms import code_shape, model_with_brand

    assert model_with_brand("五菱牌K8A72577") == "五菱牌KBA72577"  # a digit among the maker's letters
    assert code_shape("FHXS4936F") == "FHX54936F"  # no maker's code has four letters
    assert code_shape("SVW7182QQD") == "SVW7182QQD"
    assert code_shape("BJ2032") == "BJ2032"
    assert code_shape("WDDSJ4EB") == "WDDSJ4EB"  # no GB 9417 shape either way: as read
    assert code_shape("123917HF") == "123917HF"
