"""The vehicle licence owner: a company's place name from the address, a person's name slips."""

from __future__ import annotations

import numpy as np

from certscan.cards.vehicle_owner import address_places, company_place, owner_value
from certscan.ocr.types import CharCandidates, Line

XIAMEN = "福建省厦门市思明区湖滨南路12号"


def box_read(text: str, offered: dict[int, str]) -> Line:
    """A box read as ``text`` with the recogniser's other candidates ``offered`` per position."""
    chars = [CharCandidates(chars=(c, *offered.get(k, "")), probs=(0.5,) + (0.1,) * len(offered.get(k, "")))
             for k, c in enumerate(text)]
    return Line(text=text, box=np.zeros((4, 2), np.float32), confidence=0.5, chars=chars)


def test_places_the_address_starts_with_and_their_short_forms() -> None:
    assert {"福建省", "厦门市", "思明区", "厦门", "福建", "思明"} == set(address_places(XIAMEN))
    assert address_places("") == []


def test_company_place_slip_or_lost_head_taken_from_the_address() -> None:
    owner = "厦内远航出租汽车有限公司"
    assert company_place(owner, XIAMEN, box_read(owner, {1: "內门"})) == "厦门远航出租汽车有限公司"
    assert company_place(owner, XIAMEN) == owner  # 门 not offered: no slip of the place's name
    zhangjiakou = "河北省张家口市桥东区胜利北路8号"
    assert company_place("家口盛世运输有限公司", zhangjiakou) == "张家口盛世运输有限公司"  # head lost
    prefecture = "贵州省黔南布依族苗族自治州荔波县安乐乡平安村169号"
    read = "黔南布依康范旅自治州佳和科技有限公司"
    assert company_place(read, prefecture) == "黔南布依族苗族自治州佳和科技有限公司"


def test_company_place_left_alone_where_nothing_fits() -> None:
    assert company_place("厦门远航出租汽车有限公司", XIAMEN) == "厦门远航出租汽车有限公司"
    assert company_place("远航出租汽车有限公司", XIAMEN) == "远航出租汽车有限公司"  # no place at all
    assert company_place("杭州远航出租汽车有限公司", XIAMEN) == "杭州远航出租汽车有限公司"  # another city
    assert company_place("厦内远航出租汽车", XIAMEN) == "厦内远航出租汽车"  # no company's ending
    beijing = "北京市昌平区沙河镇8号"
    assert company_place("北汽福田汽车股份有限公司", beijing) == "北汽福田汽车股份有限公司"  # a trade name
    assert company_place("城盛世运输有限公司", "山东省聊城市东昌府区柳园路8号") == "城盛世运输有限公司"


def test_owner_value_person_or_company() -> None:
    assert owner_value("王酒", XIAMEN) == "王涵"
    owner = "厦内远航出租汽车有限公司"
    assert owner_value(owner, XIAMEN, box_read(owner, {1: "门"})) == "厦门远航出租汽车有限公司"
