"""The vehicle licence owner: a company's place name from the address, a person's name slips."""

from __future__ import annotations

from certscan.cards.vehicle_owner import address_places, company_place, owner_value

XIAMEN = "福建省厦门市思明区湖滨南路12号"


def test_places_the_address_starts_with_and_their_short_forms() -> None:
    assert {"福建省", "厦门市", "思明区", "厦门", "福建", "思明"} == set(address_places(XIAMEN))
    assert address_places("") == []


def test_company_place_slip_or_lost_head_taken_from_the_address() -> None:
    assert company_place("厦内远航出租汽车有限公司", XIAMEN) == "厦门远航出租汽车有限公司"
    assert company_place("城盛世运输有限公司", "山东省聊城市东昌府区柳园路8号") == "聊城盛世运输有限公司"
    prefecture = "贵州省黔南布依族苗族自治州荔波县安乐乡平安村169号"
    read = "黔南布依康范旅自治州佳和科技有限公司"
    assert company_place(read, prefecture) == "黔南布依族苗族自治州佳和科技有限公司"


def test_company_place_left_alone_where_nothing_fits() -> None:
    assert company_place("厦门远航出租汽车有限公司", XIAMEN) == "厦门远航出租汽车有限公司"
    assert company_place("远航出租汽车有限公司", XIAMEN) == "远航出租汽车有限公司"  # no place at all
    assert company_place("杭州远航出租汽车有限公司", XIAMEN) == "杭州远航出租汽车有限公司"  # another city
    assert company_place("厦内远航出租汽车", XIAMEN) == "厦内远航出租汽车"  # no company's ending


def test_owner_value_person_or_company() -> None:
    assert owner_value("王酒", XIAMEN) == "王涵"
    assert owner_value("厦内远航出租汽车有限公司", XIAMEN) == "厦门远航出租汽车有限公司"
