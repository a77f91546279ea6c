"""The shipped GB/T 2260 region and bank BIN tables load and answer."""

from __future__ import annotations

from certscan.checks import bins, regions


def test_regions() -> None:
    assert regions.is_known_region("440305") and regions.region_name("440305") == "南山区"
    assert regions.region_name("440000") == "广东省"
    assert not regions.is_known_region("000000")
    assert len(regions.all_codes()) > 3000


def test_bins() -> None:
    assert bins.issuer("6222021234567890123") == ("工商银行", "E时代卡")
    assert bins.issuer("6228480000000000000")[0] == "农业银行"  # type: ignore[index]
    assert bins.issuer("1234567890123456") is None
    assert not bins.is_known_bin("")
