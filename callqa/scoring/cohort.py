"""A cohort for a company name: the same name with other brands, for the audio to compare.

Forced decoding scores a rare brand name low even when it is said (the language prior
knows no 澜庭 or 瑞丰), so the name's log-probability against what was transcribed says
little.  Against other names of the same shape it does: said, the name should fit the
audio better than 华信燃气 or 远航燃气 would; not said, it is one name among many.  This is
cohort normalisation, as in speaker verification and keyword spotting.

A name is split into its brand and its trade (瑞丰 + 燃气) when it ends with a known trade
word; the cohort keeps the trade and swaps the brand for brands of the same length that
share no syllable with it.
"""

from __future__ import annotations

import functools

from callqa.speech.textnorm import phrase_key, readings

TRADES = (
    "银行", "物业", "燃气", "酒店", "快递", "通信", "航空", "保险", "商城", "家电", "租车",
    "宽带", "医院", "基金", "影城", "家政", "电力", "水务", "物流", "科技", "证券", "旅行社",
    "旅游", "电器", "超市", "汽车", "教育", "网络", "电信", "移动", "自来水", "热力", "客运",
    "邮轮", "地产", "置业", "信用卡", "贷款", "金融", "药房", "口腔", "健身", "数码", "家居",
    "装饰", "供暖", "公司", "集团", "中心", "服务", "生活", "出行", "外卖", "速运", "速递",
)  # fmt: skip
"""Words a company name commonly ends with (longest tried first)."""

BRANDS = {
    2: (
        "华信", "金源", "鸿达", "远航", "嘉和", "中盛", "恒通", "天成", "博远", "宏图",
        "顺通", "永安", "明珠", "海川", "正阳", "安康", "联创", "百合", "东盛", "万家",
    ),
    3: (
        "新世纪", "金海湾", "大中华", "蓝天下", "好时光", "云中鹤", "紫金山", "百花园",
        "满天星", "长青树", "万里行", "春风里",
    ),
}  # fmt: skip
"""Brands of plain words, by length; the cohort takes those sharing no syllable."""

SIZE = 8


def split_name(name: str) -> tuple[str, str]:
    """(brand, trade): 瑞丰燃气 → (瑞丰, 燃气); a name with no known trade → its first two
    characters and the rest."""
    key = phrase_key(name)
    for trade in sorted(TRADES, key=len, reverse=True):
        if key.endswith(trade) and len(key) > len(trade):
            return key[: -len(trade)], trade
    return key[:2], key[2:]


@functools.lru_cache(maxsize=256)
def cohort(name: str, size: int = SIZE) -> tuple[str, ...]:
    """Up to `size` other names of `name`'s shape: its trade with other brands."""
    brand, trade = split_name(name)
    pool = BRANDS.get(len(brand), BRANDS[2])
    if len(brand) not in BRANDS:
        brand, trade = phrase_key(name)[:2], phrase_key(name)[2:]
    sounds = set().union(*(readings(ch) for ch in brand)) if brand else set()
    out = [
        b + trade
        for b in pool
        if b != brand and sounds.isdisjoint(set().union(*(readings(ch) for ch in b)))
    ]
    return tuple(out[:size])
