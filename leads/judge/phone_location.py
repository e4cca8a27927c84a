"""Where a seller's phone is registered: province and city, from the number alone.

A county or city bureau asks first whether a seller is in its area. A mainland mobile number's
first seven digits and a landline's area code say where it was issued; the ``phonenumbers``
package carries that table offline (its geocoder, in Chinese: 广东省深圳市), so no lookup leaves
the machine. Numbers the table places only in 中国 (400/800 numbers, some new mobile ranges) and
local numbers without an area code have no location. Pure function.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import phonenumbers
from phonenumbers import geocoder

# The province-level part of a geocoder description: a province, an autonomous region, an SAR,
# or one of the four municipalities (北京市 is its own city).
PROVINCE = re.compile(r"(?P<province>.+?(?:省|自治区|特别行政区)|北京市|天津市|上海市|重庆市)")
COUNTRY_ONLY = "中国"


@dataclass(frozen=True)
class PhoneLocation:
    province: str  # 广东省, 北京市, 新疆维吾尔自治区
    city: str  # 深圳市; a municipality is its own city (北京市); may list several (贵阳市、遵义市)


@cache
def phone_location(phone: str) -> PhoneLocation | None:
    """The province and city a Chinese phone number (``13812345678``, ``075512345678``; a
    ``phone:`` contact prefix is accepted) is registered in, or None when the number says none."""
    digits = phone.removeprefix("phone:")
    try:
        number = phonenumbers.parse(digits, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    description = geocoder.description_for_number(number, "zh")
    found = PROVINCE.match(description)
    if description in ("", COUNTRY_ONLY) or not found:
        return None
    province = found["province"]
    return PhoneLocation(province, description[found.end():] or province)


def first_phone_location(contacts: tuple[str, ...] | list[str]) -> PhoneLocation | None:
    """The location of the first ``phone:`` contact that has one."""
    for contact in contacts:
        if contact.startswith("phone:") and (location := phone_location(contact)):
            return location
    return None
