"""Payment channels: how debtors actually pay, per currency, and how to recognise them.

The call note records the channel of a promise ("via 手机银行", "debit card by phone"),
and the score checks it against what was agreed. Collectors write the channel in their
own shorthand, and a note dialog that suggested the drill's exact wording would hand
them the answer. So the note dialog offers the common channels of the jurisdiction,
fixed and the same for every drill, and the note check compares *kinds* of channel:
"银行APP" in the note matches "华信手机银行APP" in the promise, "debit card" matches
"debit card on the Keystone Ridge website". Each kind is recognised by words that
name it; the first kind whose word appears wins, so the order below puts the specific
channels (a wallet, a card, Direct Debit) before the general ones (an app, a website).

- **CNY**: WeChat Pay and Alipay carry most consumer repayments on the mainland; banks'
  own apps (and lenders' apps) come next; transfers and the branch counter remain.
- **USD**: online or app payment, debit card, ACH from a bank account, a check by
  mail, or a payment taken by phone.
- **GBP**: Direct Debit (the usual way to keep to a repayment plan), standing order,
  debit card, bank transfer (Faster Payments), online banking.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Channel:
    """A kind of payment channel: its name as suggested, and words that identify it."""

    name: str
    words: tuple[str, ...]


PAYMENT_CHANNELS: Mapping[str, tuple[Channel, ...]] = {
    "CNY": (
        Channel("微信支付", ("微信",)),
        Channel("支付宝", ("支付宝",)),
        Channel("柜台", ("柜台", "网点")),
        Channel("银行转账", ("转账", "汇款")),
        Channel("银行APP", ("app", "手机银行", "网银", "网上银行")),
    ),
    "USD": (
        Channel("debit card", ("debit card", "card")),
        Channel("ACH", ("ach", "checking", "bank account", "e-check")),
        Channel("check by mail", ("check", "cheque", "mail")),
        Channel("phone payment", ("phone", "payment line")),
        Channel("online banking", ("online", "website", "portal", "app", "web")),
    ),
    "GBP": (
        Channel("Direct Debit", ("direct debit",)),
        Channel("standing order", ("standing order",)),
        Channel("debit card", ("debit card", "card")),
        Channel("bank transfer", ("transfer", "faster payment")),
        Channel("online banking", ("online", "website", "portal", "app", "web")),
    ),
}
"""Common payment channels per currency, most specific first."""


def suggestions(currency: str) -> list[str]:
    """The channel names the note dialog offers for ``currency`` (none if unknown)."""
    return [channel.name for channel in PAYMENT_CHANNELS.get(currency, ())]


def _mentions(text: str, word: str) -> bool:
    if word.isascii():
        # A whole Latin word ("ach" is not in "each"), which may touch Chinese ("北辰app还款").
        return re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", text) is not None
    return word in text


def channel_kind(text: str, currency: str) -> str | None:
    """The kind of payment channel ``text`` names, or None if it names none we know."""
    folded = " ".join(text.casefold().split())
    for channel in PAYMENT_CHANNELS.get(currency, ()):
        if any(_mentions(folded, word) for word in channel.words):
            return channel.name
    return None


def same_channel(noted: str, agreed: str, currency: str) -> bool:
    """Whether a note's channel records the agreed one: the same words, or the same kind."""
    def norm(text: str) -> str:
        return " ".join(text.casefold().split())

    if norm(noted) == norm(agreed):
        return True
    kind = channel_kind(noted, currency)
    return kind is not None and kind == channel_kind(agreed, currency)
