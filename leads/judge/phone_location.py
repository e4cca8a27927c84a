"""Where a seller's phone is registered and on which network: province, city and carrier, from
the number alone.

A county or city bureau asks first whether a seller is in its area. A mainland mobile number's
first seven digits and a landline's area code say where it was issued; the ``phonenumbers``
package carries that table offline (its geocoder, in Chinese: 广东省深圳市), so no lookup leaves
the machine. Numbers the table places only in 中国 (400/800 numbers, some new mobile ranges) and
local numbers without an area code have no location. The carrier comes from the same offline
data (中国移动, 中国联通, 中国电信, 中国广电; landlines have none there). A virtual operator's
number (虚拟运营商, MVNO: 170/171/162/165/167) is cheap, needs a weaker real-name check and is
the seller's throwaway of choice; phonenumbers names only the host network for them (or nothing),
so those ranges are kept below as data. Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import phonenumbers
from phonenumbers import carrier, geocoder

# The province-level part of a geocoder description: a province, an autonomous region, an SAR,
# or one of the four municipalities (北京市 is its own city).
PROVINCE = re.compile(r"(?P<province>.+?(?:省|自治区|特别行政区)|北京市|天津市|上海市|重庆市)")
COUNTRY_ONLY = "中国"
# The mobile ranges MIIT allocated to virtual operators (虚拟运营商), by leading digits, with the
# network they run on: 170 is split by its fourth digit; 171, 167 联通, 162 电信, 165 移动.
# phonenumbers does not mark them (it names the host network or nothing). Add a range here
# when MIIT allocates one.
VIRTUAL_OPERATOR_RANGES: dict[str, str] = {
    "1700": "中国电信", "1701": "中国电信", "1702": "中国电信",
    "1703": "中国移动", "1705": "中国移动", "1706": "中国移动",
    "1704": "中国联通", "1707": "中国联通", "1708": "中国联通", "1709": "中国联通",
    "171": "中国联通", "167": "中国联通", "162": "中国电信", "165": "中国移动",
}


@dataclass(frozen=True)
class PhoneLocation:
    province: str  # 广东省, 北京市, 新疆维吾尔自治区
    city: str  # 深圳市; a municipality is its own city (北京市); may list several (贵阳市、遵义市)


@dataclass(frozen=True)
class PhoneCarrier:
    name: str  # 中国移动; 固定电话 (a landline); 虚拟运营商（中国联通网络）; "" not known
    virtual: bool  # in a virtual operator's range (VIRTUAL_OPERATOR_RANGES)


def _parsed(phone: str) -> phonenumbers.PhoneNumber | None:
    """A valid Chinese number (``phone:`` contact prefix accepted), or None."""
    try:
        number = phonenumbers.parse(phone.removeprefix("phone:"), "CN")
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


@cache
def phone_location(phone: str) -> PhoneLocation | None:
    """The province and city a Chinese phone number (``13812345678``, ``075512345678``; a
    ``phone:`` contact prefix is accepted) is registered in, or None when the number says none."""
    number = _parsed(phone)
    if number is None:
        return None
    description = geocoder.description_for_number(number, "zh")
    found = PROVINCE.match(description)
    if description in ("", COUNTRY_ONLY) or not found:
        return None
    province = found["province"]
    return PhoneLocation(province, description[found.end():] or province)


@cache
def phone_carrier(phone: str) -> PhoneCarrier | None:
    """The network of a Chinese number, or None for a number that is not valid."""
    number = _parsed(phone)
    if number is None:
        return None
    national = str(number.national_number)
    host = next(
        (network for prefix, network in VIRTUAL_OPERATOR_RANGES.items()
         if national.startswith(prefix)), None)
    if host is not None:
        return PhoneCarrier(f"虚拟运营商（{host}网络）", True)
    fixed = phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.FIXED_LINE
    name = carrier.name_for_number(number, "zh") or ("固定电话" if fixed else "")
    return PhoneCarrier(name, False)


def first_phone_location(contacts: tuple[str, ...] | list[str]) -> PhoneLocation | None:
    """The location of the first ``phone:`` contact that has one."""
    for contact in contacts:
        if contact.startswith("phone:") and (location := phone_location(contact)):
            return location
    return None


@dataclass(frozen=True)
class SellerPhone:
    """What a lead's phones say of its seller, as the lead stores it."""

    province: str  # of the first phone with a location, "" when none has one
    carrier: str  # of the first valid phone, "" when none
    virtual: bool  # any phone in a virtual operator's range


def seller_phone(contacts: tuple[str, ...] | list[str]) -> SellerPhone:
    """Province, carrier and virtual-operator flag of a lead's ``phone:`` contacts."""
    carriers = [
        found for contact in contacts
        if contact.startswith("phone:") and (found := phone_carrier(contact))
    ]
    location = first_phone_location(contacts)
    return SellerPhone(
        province=location.province if location else "",
        carrier=carriers[0].name if carriers else "",
        virtual=any(found.virtual for found in carriers),
    )
