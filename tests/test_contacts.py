"""Contacts come out normalised and de-duplicated; look-alike numbers do not."""

from pathlib import Path

import pytest

from leads.judge.contacts import (
    MAX_SCAN_CHARS,
    contacts_in_folded,
    emoji_as_labels,
    extract_contacts,
    load_not_ids,
)
from leads.judge.normalize import fold

CASES = Path(__file__).parent / "data" / "contacts_cases.tsv"


def _cases() -> list:
    """(text, expected contacts) from contacts_cases.tsv, each named by its why column."""
    rows = [
        line.split("\t")
        for line in CASES.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert rows[0] == ["text", "contacts", "why"]
    return [pytest.param(text, contacts.split(), id=why) for text, contacts, why in rows[1:]]


@pytest.mark.parametrize(("text", "contacts"), _cases())
def test_contact_formats(text: str, contacts: list[str]):
    assert extract_contacts(text) == contacts


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
        ("微信：13812345678", ["wechat:13812345678", "phone:13812345678"]),
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
        # Realistic ads, and the school page and certificate record that only look like them
        (
            "长期办理电工证、焊工证，不用考试，全国联网可查。联系电话：138-1234-5678（微信同号），QQ：87654321",
            ["phone:13812345678", "wechat:13812345678", "qq:87654321"],
        ),
        (
            "【诚信办证】高处作业证 叉车证 包过 ☎（0755）8765-4321 ➕V：zs_2024",
            ["phone:075587654321", "wechat:zs_2024"],
        ),
        (
            "安全员C证 三类人员 快速下证 官网可查 有需要的加 zhengshu8866",
            ["wechat_bare:zhengshu8866"],
        ),
        ("办证 13X XXXX XXXX", ["phone_masked:13*********"]),
        (
            "工作时间9:00-18:00，地址：XX路88号，电话0592-8760748，微信：dg_2025",
            ["phone:05928760748", "wechat:dg_2025"],
        ),
        (
            "本校不办理任何证件，谨防诈骗。咨询电话：0592-8760748，官网 www.school2024.edu.cn",
            ["phone:05928760748"],
        ),
        (
            "辦證：ＱＱ：８７６５４３２１　電話：１３８１２３４５６７８",
            ["qq:87654321", "phone:13812345678"],
        ),
        (
            "特种作业操作证 T320102199001011234 可在应急管理部官网查询，2024年06月15日发证",
            [],
        ),
        # Ids and numbers next to words that look like units or abbreviations
        # A pinyin abbreviation (kz = 刻章) inside an id is part of the id, not a word.
        ("添加薇信：Kz-v668（V信同步）", ["wechat:kz-v668"]),
        # A word on the next line or a word starting with a unit character is not a unit.
        ("QQ：1468203957\n本站长期有效", ["qq:1468203957"]),
        ("QQ1468203957本站长期有效", ["qq:1468203957"]),
        ("电话：87654321 人员齐全", ["phone:87654321"]),
        # A real quantity after the number still is one.
        ("QQ群 100000人", []),
        ("QQ 20000元", []),
        # A sticker's middle dots, and a letter for the digit it looks like inside a phone.
        ("驾证 毕业证 135·0447·8126", ["phone:13504478126"]),
        ("不考直拿 13O8-5521-967", ["phone:13085521967"]),
        ("微信：ab1o2c", ["wechat:ab1o2c"]),  # an id keeps its letters
        ("办证 157 ··· 2084 ··· 9631", ["phone:15720849631"]),
        ("刻章 135 …… 6082 …… 3947", ["phone:13560823947"]),
        # A QQ number in spaced groups after its label; Telegram behind a plane.
        ("🐧 209 337 158", ["qq:209337158"]),
        ("QQ 2093 3715", ["qq:20933715"]),
        ("✈️ @jz_quick66", ["telegram:jz_quick66"]),
        ("纸飞机搜 bz_kuaiban", ["telegram:bz_kuaiban"]),
        ("QQ 2024 05 29", []),  # a date after the label is no number
        ("永久可查 Q🐧 2307164958", ["qq:2307164958"]),  # Q and the penguin together
        ("永久可查，Q 3162049785。", ["qq:3162049785"]),  # a bare Q before a QQ-long number
        ("2024年Q3 12000台", []),  # a quarter and a count
        ("特种设备 18027761592", ["phone:18027761592"]),  # 设备 is no 备案 word
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
        "2024·05·29 开考",  # a date with middle dots
        "型号 1o8-55",  # a letter between digits in a short code
        "卫星号 abc123 已入轨",  # 卫星 is a satellite, not a WeChat alias, without a colon
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


def test_cases_cover_every_kind_and_refusals():
    """The table keeps both sides: each kind of contact, and texts that must yield nothing."""
    expected = [contacts for param in _cases() for contacts in [param.values[1]]]
    kinds = {contact.split(":")[0] for contacts in expected for contact in contacts}
    assert kinds >= {"phone", "wechat", "qq", "email", "phone_masked", "wechat_bare"}
    assert sum(not contacts for contacts in expected) >= 40


def test_emoji_labels_need_spelling_out_before_fold():
    """fold() drops 🐧; callers that fold themselves spell the labels out first."""
    text = "🐧：87654321"
    assert contacts_in_folded(fold(text)) == []
    assert contacts_in_folded(fold(emoji_as_labels(text))) == ["qq:87654321"]
    assert emoji_as_labels("微信 abc") == "微信 abc"  # no emoji: the text itself


@pytest.mark.parametrize(
    ("hostile", "contacts"),
    [
        ("1-" * 500_000, []),
        ("13-" * 340_000, []),
        ("a" * 1_000_000, []),
        ("a@" * 500_000, []),
        ("微信：" * 340_000, []),
        ("(0" * 500_000, []),
        ("138" + "*" * 1_000_000, []),
        ("abc12345\n" * 110_000, ["wechat_bare:abc12345"]),
    ],
)
def test_hostile_megabyte(hostile: str, contacts: list[str]):
    """Pathological shapes give the right answer (their speed is checked by hand, not here)."""
    assert contacts_in_folded(hostile) == contacts


def test_repeated_contacts_in_a_megabyte_are_listed_once():
    text = "加zs_8866 微信同号13812345678 qq:12345 " * 30_000
    assert contacts_in_folded(text) == [
        "wechat_bare:zs_8866",
        "wechat:13812345678",
        "phone:13812345678",
        "qq:12345",
    ]


def test_text_beyond_the_scan_cap_is_not_read():
    padding = "。" * MAX_SCAN_CHARS
    assert contacts_in_folded("电话13812345678" + padding) == ["phone:13812345678"]
    assert contacts_in_folded(padding + "电话13812345678") == []


def test_not_contact_ids_file_reports_bad_lines(tmp_path: Path):
    path = tmp_path / "not_contact_ids.tsv"
    path.write_text(
        "token\tmatch\tscope\tmeaning\nofficial\tword\teverywhere\twhy\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match=r"not_contact_ids\.tsv:2:"):
        load_not_ids(path)
    assert "official" in load_not_ids().words


@pytest.mark.parametrize(
    ("text", "contacts"),
    [
        ("答：正规渠道办理，详询Q 2284109633", ["qq:2284109633"]),
        ("联系q 2284109633", ["qq:2284109633"]),
        ("iq 2284109633", []),  # a lone q inside a word is no label
    ],
)
def test_lone_q_after_a_contact_verb_is_a_qq_label(text: str, contacts: list[str]):
    assert extract_contacts(text) == contacts


@pytest.mark.parametrize(
    ("text", "worded"),
    [
        ("⚡工📜 🔥工本", "电工证 焊工本"),  # ⚡ and 🔥 are trades before 工
        ("🔥热销🔥 ⚡速出", "🔥热销🔥 ⚡速出"),  # …and decoration elsewhere
        ("❌培训 🙅\u200d\u2642\ufe0f考试", "无培训 无考试"),  # no before a chore
        ("考🙅试 ❌不考试", "考🙅试 ❌不考试"),  # not inside a word, not before its own 不
        ("🆓考 🚜📜 👤不用去", "免考 叉车证 人不用去"),
        ("要本的话✉️我 花点小💰", "要本的话私️我 花点小钱"),
    ],
)
def test_emoji_that_stand_for_words_are_spelled_out(text: str, worded: str):
    from leads.judge.contacts import emoji_as_words

    assert emoji_as_words(text) == worded
