from certscan.checks import idnumber, luhn, mrz, uscc, vin


def test_id_number_published_example() -> None:
    # GB 11643-1999 annex example.
    assert idnumber.check_char("11010519491231002") == "X"
    assert idnumber.is_valid("11010519491231002X")
    assert not idnumber.is_valid("110105194912310021")


def test_luhn_published_examples() -> None:
    assert luhn.is_valid("79927398713")
    assert luhn.check_digit("7992739871") == "3"
    assert not luhn.is_valid("79927398710")


def test_uscc_published_example() -> None:
    assert uscc.is_valid("91350100M000100Y43")
    assert not uscc.is_valid("91350100M000100Y44")
    assert uscc.organization_code("91350100M000100Y43") == "M000100Y-4"


def test_registration_number_iso7064_mod11_10_example() -> None:
    # ISO/IEC 7064:2003 section 10.1.2 example for MOD 11,10: 0794 → check digit 5.
    assert uscc.registration_check_digit("0794") == "5"
    assert not uscc.is_valid_registration("07945")  # right digit, but a 注册号 has 15 digits
    body = "11010500000001"
    good = body + uscc.registration_check_digit(body)
    assert uscc.is_valid_registration(good)
    assert not uscc.is_valid_registration(good[:14] + str((int(good[14]) + 1) % 10))


def test_vin_published_example() -> None:
    assert vin.check_char("1M8GDM9AXKP042788") == "X"
    assert vin.is_valid("1M8GDM9AXKP042788")
    assert not vin.is_valid("1M8GDM9A1KP042788")


def test_mrz_icao_specimen() -> None:
    # ICAO 9303 part 4 specimen: document number L898902C3 check 6, birth 740812 check 2,
    # expiry 120415 check 9.
    assert mrz.check_digit("L898902C3") == "6"
    assert mrz.check_digit("740812") == "2"
    assert mrz.check_digit("120415") == "9"
