"""Contacts come out normalised and de-duplicated; look-alike numbers do not."""

import pytest

from leads.contacts import contacts_in_folded, extract_contacts
from leads.normalize import fold


@pytest.mark.parametrize(
    ("text", "contacts"),
    [
        ("电话：13812345678", ["phone:13812345678"]),
        ("电话 138-1234-5678", ["phone:13812345678"]),
        ("手机 138 1234 5678", ["phone:13812345678"]),
        ("+86 138 1234 5678", ["phone:13812345678"]),
        ("+86-13812345678", ["phone:13812345678"]),
        ("１３８１２３４５６７８", ["phone:13812345678"]),
        ("一三八一二三四五六七八", ["phone:13812345678"]),
        ("幺三八 幺二三四 五六七八", ["phone:13812345678"]),
        ("座机 0592-8760748", ["phone:05928760748"]),
        ("+86 592 876 0748", ["phone:05928760748"]),  # landline with the country code
        ("+86-10-6234-5678", ["phone:01062345678"]),
        ("零五九二 八七六 零七四八", ["phone:05928760748"]),
        ("壹叁捌壹贰叁肆伍陆柒捌", ["phone:13812345678"]),
        ("⑬⑧①②③④⑤⑥⑦⑧", ["phone:13812345678"]),  # circled digits
        ("电话：1３8-1234-5678", ["phone:13812345678"]),  # mixed widths
        ("手机：138 1234 5678 / 0592-876 0748", ["phone:13812345678", "phone:05928760748"]),
        ("北京 010-62345678", ["phone:01062345678"]),
        ("热线400-800-1234", ["phone:4008001234"]),
        ("微信：ABC_123x", ["wechat:abc_123x"]),
        ("V信 seller88", ["wechat:seller88"]),
        ("威信 abcdef1", ["wechat:abcdef1"]),
        ("薇：zheng_2024", ["wechat:zheng_2024"]),
        ("VX:zhengshu888", ["wechat:zhengshu888"]),
        ("加v dgz666a", ["wechat:dgz666a"]),
        ("加微：gydg_2025", ["wechat:gydg_2025"]),
        ("加微信 seller_01", ["wechat:seller_01"]),
        ("wx：abc_123", ["wechat:abc_123"]),
        ("微信号是 abc123x", ["wechat:abc123x"]),
        ("V：dg88888", ["wechat:dg88888"]),
        ("薇❤：dg_zheng2025", ["wechat:dg_zheng2025"]),
        ("徽信 glz_hx01", ["wechat:glz_hx01"]),
        ("微信：dgz_2024", ["wechat:dgz_2024"]),  # pinyin initials inside an id stay the id
        ("微信：13812345678", ["wechat:13812345678", "phone:13812345678"]),
        ("QQ：12345678", ["qq:12345678"]),
        ("扣扣 87654321", ["qq:87654321"]),
        ("企鹅号:987654321", ["qq:987654321"]),
        ("Q：962823869", ["qq:962823869"]),
        ("+Q:849793744", ["qq:849793744"]),
        ("球球 5678901234", ["qq:5678901234"]),
        ("ＱＱ：１２３４５６７８", ["qq:12345678"]),
        ("Q：四五六七八九零一二", ["qq:456789012"]),
        ("邮箱 Seller@Mail.CN", ["email:seller@mail.cn"]),
        ("邮箱 ＣＥＲＴ＠ＭＡＩＬ．ＣＮ", ["email:cert@mail.cn"]),
        ("telegram @fakecert_cn", ["telegram:fakecert_cn"]),
        ("飞机号: certbot88", ["telegram:certbot88"]),
        ("https://t.me/certshop", ["telegram:certshop"]),
        ("TG: @cert_shop88", ["telegram:cert_shop88"]),
        ("电话138****5678", ["phone_masked:138****5678"]),
        ("电话138XXXX5678", ["phone_masked:138****5678"]),
        ("电话 138-****-5678", ["phone_masked:138****5678"]),
        ("１３８＊＊＊＊５６７８", ["phone_masked:138****5678"]),
        ("手机 1381234****", ["phone_masked:1381234****"]),
        ("手机 138 1234 xxxx", ["phone_masked:1381234****"]),
        ("电话138××××5678", ["phone_masked:138****5678"]),
    ],
)
def test_extracts(text: str, contacts: list[str]):
    assert extract_contacts(text) == contacts


@pytest.mark.parametrize(
    "text",
    [
        "2024-05-29 13:30 开考",  # date and time
        "售价1380元，原价13800元",  # prices
        "身份证号110101199003071234",  # ID-card number
        "110101199003071234",  # bare ID-card number
        "证书编号T110101199003071234",  # certificate number
        "京ICP备05070218号 京公网安备11010202000001号",  # ICP / police record numbers
        "粤ICP备2021012345号-1",
        "订单号13812345678",  # a record number that happens to look like a mobile
        "考试时间2024.06.15 09:00-11:00",
        "网站标识码bm01000001",
        "准考证号13812345678",
        "统一社会信用代码91350200612345678X",
        "金额：13,800.00元",
        "价格 ¥138.00-¥1380.00",
        "2024年05月29日 14:30",
        "订单时间 20240529135959",
        "卡号 6222 0212 3456 7890 123",
        "版本 v13.8.1234",
        "身份证 110101 19900307 1234",
        "电话xxxxxxxxxxx",  # fully masked: nothing to record
        "卫星号 abc123",  # 卫星 is a satellite, not a WeChat alias
    ],
)
def test_rejects_look_alike_numbers(text: str):
    assert extract_contacts(text) == []


def test_wechat_same_as_phone():
    assert extract_contacts("电话 139-1027-5548（微信同号）") == [
        "phone:13910275548",
        "wechat:13910275548",
    ]


def test_masked_number_is_never_completed():
    contacts = extract_contacts("客服 139****0000 微信同号")
    assert contacts == ["phone_masked:139****0000"]
    assert extract_contacts("139****0000 1390000") == ["phone_masked:139****0000"]


def test_contacts_in_folded_text_match_extract_contacts():
    text = "電工證 加V信：ABC_123 ＱＱ１２３４５６７８ 电话 一三八一二三四五六七八"
    assert contacts_in_folded(fold(text)) == extract_contacts(text)


def test_order_found_and_deduplicated():
    text = "QQ:55667788 电话13812345678 微信 shop_a1 再说一遍电话138-1234-5678"
    assert extract_contacts(text) == ["qq:55667788", "phone:13812345678", "wechat:shop_a1"]


def test_phone_next_to_a_date_is_found():
    assert extract_contacts("2024.05.29 13812345678") == ["phone:13812345678"]


@pytest.mark.parametrize(
    "garbage", ["", "\x00\x01", "＊＊＊", "微信：", "qq", "1" * 5000, "\ud800"]
)
def test_garbage_never_raises(garbage: str):
    assert isinstance(extract_contacts(garbage), list)
