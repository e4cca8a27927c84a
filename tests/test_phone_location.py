"""Where a seller's phone is registered and on which network, from the offline number table
(no lookup leaves)."""

from __future__ import annotations

import pytest

from leads.judge.phone_location import (
    PhoneCarrier,
    PhoneLocation,
    SellerPhone,
    first_phone_location,
    phone_carrier,
    phone_location,
    seller_phone,
)


@pytest.mark.parametrize(("phone", "province", "city"), [
    ("13812345678", "江苏省", "连云港市"),  # a mobile, by its first seven digits
    ("phone:13912345678", "江苏省", "常州市"),  # a contact as the judge writes it
    ("075512345678", "广东省", "深圳市"),  # a landline, by its area code
    ("02087654321", "广东省", "广州市"),
    ("01012345678", "北京市", "北京市"),  # a municipality is its own city
    ("09912345678", "新疆维吾尔自治区", "乌鲁木齐市"),
])
def test_a_number_is_placed_in_its_province_and_city(phone: str, province: str,
                                                     city: str) -> None:
    assert phone_location(phone) == PhoneLocation(province, city)


@pytest.mark.parametrize("phone", [
    "4008001234",  # a 400 number: the whole country
    "87654321",  # a local number without its area code
    "12345",
    "phone:",
    "not a number",
])
def test_a_number_that_says_no_place_has_none(phone: str) -> None:
    assert phone_location(phone) is None


def test_the_first_placeable_phone_of_a_lead_counts() -> None:
    contacts = ("wechat:abc123", "phone:4008001234", "phone:075512345678", "phone:13812345678")
    assert first_phone_location(contacts) == PhoneLocation("广东省", "深圳市")
    assert first_phone_location(("wechat:abc123", "qq:909299940")) is None
    assert first_phone_location(()) is None


@pytest.mark.parametrize(("phone", "name", "virtual"), [
    ("13812345678", "中国移动", False),  # a mobile
    ("phone:18912345678", "中国电信", False),
    ("01012345678", "固定电话", False),  # landlines with their area code
    ("075512345678", "固定电话", False),
    ("17012345678", "虚拟运营商（中国电信网络）", True),  # 170 split by its fourth digit
    ("17051234567", "虚拟运营商（中国移动网络）", True),
    ("17112345678", "虚拟运营商（中国联通网络）", True),
    ("16212345678", "虚拟运营商（中国电信网络）", True),
    ("16512345678", "虚拟运营商（中国移动网络）", True),
    ("16712345678", "虚拟运营商（中国联通网络）", True),
])
def test_a_number_has_its_carrier_and_virtual_ranges_are_flagged(phone: str, name: str,
                                                                 virtual: bool) -> None:
    assert phone_carrier(phone) == PhoneCarrier(name, virtual)


def test_an_invalid_number_has_no_carrier() -> None:
    assert phone_carrier("12345") is None
    assert phone_carrier("phone:") is None


def test_a_seller_is_placed_by_its_phones() -> None:
    # The virtual number has no place: the province is the landline's; the flag stays.
    assert seller_phone(("wechat:abc123", "phone:17112345678", "phone:075512345678")) == (
        SellerPhone("广东省", "虚拟运营商（中国联通网络）", True))
    assert seller_phone(("phone:13812345678",)) == SellerPhone("江苏省", "中国移动", False)
    assert seller_phone(("qq:909299940",)) == SellerPhone("", "", False)
