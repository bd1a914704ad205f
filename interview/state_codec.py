"""The interview state, bit-packed, encrypted and authenticated into a button's callback data (at
most 64 bytes).

Nothing about a person is stored on the server: every button carries the whole state. Layout of
the plaintext, most significant bit first (widths are fixed at import from `rules.facts.FACTS`):

    codec version 4 | language 1 (ru=0, en=1) | screen 4 | rules version 32 | question 6 |
    option 7 | each carried fact, in FACTS order | dont_know, one bit per carried fact |
    as-of date 16 (days since 2022-01-01) | first message id 32 |
    newest message id 16 (0 unknown, else newest - first + 1) | zero padding to a byte

Sealing (SIV, the construction of RFC 5297 with keyed BLAKE2b, RFC 7693, as its PRF; an AEAD's
nonce and tag would not fit in 64 bytes, this adds no byte):

    tag = BLAKE2b(key = mac key, size 10)(chat id as 8 signed bytes || plaintext)
    ciphertext = plaintext XOR BLAKE2b(key = encryption key, size = plaintext's)(tag),
                 the first 4 bits (the codec version) left in the clear
    data = base64url(ciphertext || tag) without padding.

The tag is a deterministic synthetic IV: equal states in one chat give equal data (nothing else
is revealed), any other state or chat a fresh keystream. The chat id is authenticated, not
carried: a button works only in the chat it was made for. Keyed BLAKE2b from the standard library
serves as both MAC and keystream PRF (one call each: the plaintext is shorter than its 64-byte
output), so no cipher package is needed; it costs a third of HMAC-SHA256's two hashes, and a
screen seals a dozen buttons. The two keys are derived separately from each secret.

Facts are keyed on the FACTS vocabulary (fact -> value index), never on the YAML's question
order, so a rule base reload cannot make an old button decode to a different answer. Codes:
enum 0 unknown, 1..n the value at index-1; bool 0 unknown, 1 false, 2 true; age 0 unknown else
age+1; birth_year 0 unknown else year-1899; birth_month 0 unknown else the month;
children_under_16 0 unknown else n+1 (n 0..6). birth_date and other date facts are not carried.

Both keys are derived from each secret and the field widths, so a layout change (a fact added, an
enum outgrowing its bits) makes old buttons fail the signature instead of decoding to wrong
answers. Appending an enum value that fits in its bits keeps old buttons valid.

Callback data made here is exactly `ENCODED_LENGTH` characters of the base64url alphabet
`A-Z a-z 0-9 - _` (see `CALLBACK_DATA_PATTERN`): other callback strings the bot uses must
contain a character outside it (":" say) or have another length.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from rules.facts import FACTS, FactSpec

__all__ = [
    "CALLBACK_DATA_PATTERN",
    "CODEC_VERSION",
    "ENCODED_LENGTH",
    "MAX_CALLBACK_BYTES",
    "FactValue",
    "FrozenFacts",
    "InvalidState",
    "State",
    "StateCodec",
    "code_value",
    "is_state_data",
    "value_code",
]

FactValue = bool | int | str

CODEC_VERSION: Final = 3  # 2: encrypted, chat-bound, with the newest message id; 3: BLAKE2b
MAX_CALLBACK_BYTES: Final = 64  # Telegram's limit; python-telegram-bot does not check it
TAG_BYTES: Final = 10
MIN_SECRET_BYTES: Final = 32
DATE_EPOCH: Final = dt.date(2022, 1, 1)

_LANGS: Final = ("ru", "en")
_HEX8 = re.compile(r"[0-9a-f]{8}")

# Widths of the fields before the facts, and of those after the dont_know set.
_VERSION_BITS, _LANG_BITS, _SCREEN_BITS, _RULES_BITS, _QUESTION_BITS, _OPTION_BITS = (
    4, 1, 4, 32, 6, 7,
)
_DATE_BITS, _MESSAGE_BITS, _NEWEST_BITS = 16, 32, 16

# Integer facts: (bits, code of the value 0, smallest and largest value carried). A value v has
# the code v - base; code 0 means unknown. The range is narrowed to FACTS' own range below.
_INT_CODES: Final[dict[str, tuple[int, int, int, int]]] = {
    "birth_year": (8, 1899, 1900, 2154),
    "birth_month": (4, 0, 1, 12),
    "age": (8, -1, 0, 130),
    "children_under_16": (3, -1, 0, 6),
}


@dataclass(frozen=True, slots=True)
class _Field:
    key: str
    bits: int
    pytype: type  # exact type a value must have (bool is not an int here)
    codes: dict[Any, int]  # value -> code (1..)
    values: tuple[FactValue | None, ...]  # code -> value; index 0 is unknown (None)


def _fact_field(spec: FactSpec) -> _Field | None:
    if spec.kind == "enum":
        values: tuple[FactValue, ...] = spec.values
        return _Field(spec.key, len(values).bit_length(), str,
                      {v: i + 1 for i, v in enumerate(values)}, (None, *values))
    if spec.kind == "bool":
        return _Field(spec.key, 2, bool, {False: 1, True: 2}, (None, False, True))
    if spec.kind == "int":
        if spec.key not in _INT_CODES:
            # Fail at import, not on a person's button press.
            raise RuntimeError(f"state codec: no encoding for the integer fact {spec.key!r}")
        bits, base, low, high = _INT_CODES[spec.key]
        low, high = max(low, spec.minimum), min(high, spec.maximum)
        if high - base >= 1 << bits or low - base < 1:
            raise RuntimeError(f"state codec: {spec.key} does not fit in {bits} bits")
        ints = tuple(range(low, high + 1))
        decoded: tuple[FactValue | None, ...] = (None,) + (None,) * (low - base - 1) + ints
        return _Field(spec.key, bits, int, {v: v - base for v in ints}, decoded)
    return None  # dates (birth_date) are not carried


_FIELDS: Final = tuple(f for f in map(_fact_field, FACTS.values()) if f is not None)
_CARRIED: Final = frozenset(f.key for f in _FIELDS)
_DK_BITS: Final = len(_FIELDS)
# dont_know: the first carried fact is the most significant bit.
_DK_MASK: Final = {f.key: 1 << (_DK_BITS - 1 - i) for i, f in enumerate(_FIELDS)}
_DK_BY_BIT: Final = {mask: key for key, mask in _DK_MASK.items()}
_FACT_BITS: Final = sum(f.bits for f in _FIELDS)


def _decode_table() -> tuple[tuple[str, int, int, int, tuple[FactValue | None, ...]], ...]:
    # (key, shift from the low end of the facts block, mask, number of codes, code -> value)
    table = []
    shift = _FACT_BITS
    for f in _FIELDS:
        shift -= f.bits
        table.append((f.key, shift, (1 << f.bits) - 1, len(f.values), f.values))
    return tuple(table)


_DECODE_TABLE: Final = _decode_table()

_PAYLOAD_BITS: Final = (
    _VERSION_BITS + _LANG_BITS + _SCREEN_BITS + _RULES_BITS + _QUESTION_BITS + _OPTION_BITS
    + _FACT_BITS + _DK_BITS + _DATE_BITS + _MESSAGE_BITS + _NEWEST_BITS
)
_PAYLOAD_BYTES: Final = (_PAYLOAD_BITS + 7) // 8
_PAD_BITS: Final = _PAYLOAD_BYTES * 8 - _PAYLOAD_BITS
_RAW_BYTES: Final = _PAYLOAD_BYTES + TAG_BYTES
ENCODED_LENGTH: Final = (_RAW_BYTES * 8 + 5) // 6  # base64 without padding
if ENCODED_LENGTH > MAX_CALLBACK_BYTES:
    raise RuntimeError(f"state codec: {ENCODED_LENGTH} characters exceed Telegram's 64 bytes")
if _PAYLOAD_BYTES > hashlib.blake2b.MAX_DIGEST_SIZE:
    raise RuntimeError("state codec: the payload outgrew one BLAKE2b keystream block")
_blake2b: Final = hashlib.blake2b

CALLBACK_DATA_PATTERN: Final = re.compile(rf"^[A-Za-z0-9_-]{{{ENCODED_LENGTH}}}$")
_B64URL: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_B64URL_CHARS: Final = frozenset(_B64URL)
_B64_INDEX: Final = {c: i for i, c in enumerate(_B64URL)}

# Mixed into every signing key: a different layout signs differently.
_LAYOUT_ID: Final = (
    f"exempt-bot state codec v{CODEC_VERSION};"
    + ";".join(f"{f.key}:{f.bits}" for f in _FIELDS)
).encode()

_MAX_DAYS: Final = (1 << _DATE_BITS) - 1
_MAX_MESSAGE_ID: Final = (1 << _MESSAGE_BITS) - 1
_MAX_NEWEST: Final = (1 << _NEWEST_BITS) - 1
MAX_INTERVIEW_SPAN: Final = _MAX_NEWEST - 1  # newest - first, at most
_EPOCH_ORDINAL: Final = DATE_EPOCH.toordinal()
_FIELD_BY_KEY: Final = {f.key: f for f in _FIELDS}


def value_code(key: str, value: FactValue) -> int:
    """The code (1..) of a fact's value in the layout, e.g. a button's option index. ValueError
    when the fact is not carried or the value is outside the vocabulary. birth_year codes run
    past 127, the largest option index, for years after 2026."""
    field = _FIELD_BY_KEY.get(key)
    if field is None:
        raise ValueError(f"{key!r} is not a carried fact")
    code = field.codes.get(value, 0) if type(value) is field.pytype else 0
    if not code:
        raise ValueError(f"{key}: value outside the vocabulary")
    return code


def code_value(key: str, code: int) -> FactValue:
    """The value a code stands for; ValueError for 0 (unknown), out-of-range codes and facts
    that are not carried."""
    field = _FIELD_BY_KEY.get(key)
    if field is None:
        raise ValueError(f"{key!r} is not a carried fact")
    value = field.values[code] if type(code) is int and 0 <= code < len(field.values) else None
    if value is None:
        raise ValueError(f"{key}: no value has the code {code!r}")
    return value


def is_state_data(data: str) -> bool:
    """Whether callback data has the shape of an encoded state (not whether it is genuine)."""
    return len(data) == ENCODED_LENGTH and _B64URL_CHARS.issuperset(data)


class InvalidState(Exception):
    """Callback data that does not decode to a genuine state. `reason` is short and safe to
    log; the data itself is never included."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_MISSING: Final = object()


class FrozenFacts(Mapping[str, FactValue]):
    """An immutable, hashable facts mapping; None values (unknown) are dropped."""

    __slots__ = ("_bits", "_data", "_hash")

    def __init__(
        self,
        items: Mapping[str, FactValue | None] | Iterable[tuple[str, FactValue | None]] = (),
    ) -> None:
        pairs = items.items() if isinstance(items, Mapping) else items
        self._data: dict[str, FactValue] = {k: v for k, v in pairs if v is not None}
        self._hash: int | None = None
        self._bits: int | None = None  # the packed facts, cached: a view's buttons share them

    @classmethod
    def _wrap(cls, data: dict[str, FactValue]) -> FrozenFacts:
        """Take ownership of a checked dict without copying (the decoder's fast path)."""
        self = cls.__new__(cls)
        self._data = data
        self._hash = None
        self._bits = None
        return self

    def __getitem__(self, key: str) -> FactValue:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def get(self, key: str, default: Any = None) -> Any:  # dict speed: no KeyError raised
        return self._data.get(key, default)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            # The type is part of the hash, as True == 1 but they are different answers.
            self._hash = hash(frozenset((k, type(v), v) for k, v in self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        if len(other) != len(self._data):
            return False
        for key, value in self._data.items():
            theirs = other.get(key, _MISSING)
            if type(theirs) is not type(value) or theirs != value:
                return False
        return True

    def __repr__(self) -> str:
        return f"FrozenFacts({self._data!r})"



@dataclass(frozen=True, slots=True)
class State:
    """What a button carries. `facts` accepts any mapping (or items) and is frozen on creation;
    values are checked by `StateCodec.encode`."""

    lang: str  # "ru" / "en"
    screen: int  # 0..15, defined by the bot: what the button does
    rules_version: str  # 8 lowercase hex digits
    question: int  # 0..63
    option: int  # 0..127
    facts: Mapping[str, FactValue]
    dont_know: frozenset[str]
    as_of: dt.date  # 2022-01-01 .. 2201-06-05
    first_message_id: int  # 0..2**32-1: where the interview began (the command's message)
    # The newest message the interview is known to have produced; 0 unknown. Carried as an
    # offset from the first: encode caps it at MAX_INTERVIEW_SPAN past the first (Delete never
    # reaches beyond) and treats one before the first as unknown.
    newest_message_id: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.facts, FrozenFacts):
            object.__setattr__(self, "facts", FrozenFacts(self.facts))
        if not isinstance(self.dont_know, frozenset):
            object.__setattr__(self, "dont_know", frozenset(self.dont_know))

    def facts_dict(self) -> dict[str, FactValue]:
        """A fresh, mutable copy of the facts."""
        return dict(self.facts)


def _pack_facts(facts: Mapping[str, FactValue]) -> int:
    acc = 0
    seen = 0
    for field in _FIELDS:
        value = facts.get(field.key)
        code = 0
        if value is not None:
            seen += 1
            code = field.codes.get(value, 0) if type(value) is field.pytype else 0
            if not code:
                raise ValueError(f"{field.key}: value outside the vocabulary")
        acc = (acc << field.bits) | code
    if seen != len(facts):
        stray = sorted(k for k in facts if k not in _CARRIED)
        raise ValueError(f"facts the codec does not carry: {', '.join(map(str, stray))}")
    return acc


def _check_int(name: str, value: object, bits: int) -> int:
    if type(value) is not int or not 0 <= value < 1 << bits:
        raise ValueError(f"{name} must be an int in 0..{(1 << bits) - 1}")
    return value


class StateCodec:
    """Seals and opens `State`s for one chat. The first secret seals; every secret opens, so a key
    is rotated by putting the new one first and dropping the old one once its buttons are
    stale."""

    __slots__ = ("_accept", "_keys")

    def __init__(self, secrets: Sequence[bytes],
                 accept: Callable[[State], bool] | None = None) -> None:
        """`accept` (the bot's: is this a screen the flow can show?) turns a genuine state it
        refuses into InvalidState, so a sealed but unshowable state gets the polite answer."""
        self._accept = accept
        if isinstance(secrets, bytes | bytearray | str):
            raise TypeError("secrets must be a sequence of keys, not a single key")
        keys = list(secrets)
        if not keys:
            raise ValueError("at least one secret is needed")
        for i, key in enumerate(keys, 1):
            if not isinstance(key, bytes | bytearray):
                raise TypeError(f"secret #{i} must be bytes")
            if len(key) < MIN_SECRET_BYTES:
                raise ValueError(f"secret #{i} must be at least {MIN_SECRET_BYTES} bytes")
        derived = [(hmac.digest(bytes(key), b"mac;" + _LAYOUT_ID, "sha256"),
                    hmac.digest(bytes(key), b"enc;" + _LAYOUT_ID, "sha256")) for key in keys]
        self._keys = tuple(derived)  # (MAC key, encryption key) per secret; the first seals

    def __repr__(self) -> str:
        return f"StateCodec(<{len(self._keys)} key(s)>)"

    def encode(self, state: State, chat_id: int) -> str:
        """The callback data for `state` in chat `chat_id`; ValueError when a value is outside
        the layout."""
        lang = state.lang
        if lang not in _LANGS:
            raise ValueError("lang must be 'ru' or 'en'")
        version = state.rules_version
        if type(version) is not str or not _HEX8.fullmatch(version):
            raise ValueError("rules_version must be 8 lowercase hex digits")
        as_of = state.as_of
        if type(as_of) is not dt.date:
            raise ValueError("as_of must be a datetime.date")
        days = as_of.toordinal() - _EPOCH_ORDINAL
        if not 0 <= days <= _MAX_DAYS:
            raise ValueError("as_of is outside the dates the codec carries")

        acc = CODEC_VERSION
        acc = (acc << _LANG_BITS) | (lang == "en")
        acc = (acc << _SCREEN_BITS) | _check_int("screen", state.screen, _SCREEN_BITS)
        acc = (acc << _RULES_BITS) | int(version, 16)
        acc = (acc << _QUESTION_BITS) | _check_int("question", state.question, _QUESTION_BITS)
        acc = (acc << _OPTION_BITS) | _check_int("option", state.option, _OPTION_BITS)

        facts = state.facts
        bits = facts._bits if isinstance(facts, FrozenFacts) else None
        if bits is None:
            bits = _pack_facts(facts)
            if isinstance(facts, FrozenFacts):
                facts._bits = bits
        acc = (acc << _FACT_BITS) | bits

        dk = 0
        for key in state.dont_know:
            mask = _DK_MASK.get(key)
            if mask is None:
                raise ValueError(f"dont_know: {key!r} is not a carried fact")
            dk |= mask
        acc = (acc << _DK_BITS) | dk
        acc = (acc << _DATE_BITS) | days
        first = _check_int("first_message_id", state.first_message_id, _MESSAGE_BITS)
        acc = (acc << _MESSAGE_BITS) | first
        acc = (acc << _NEWEST_BITS) | _newest_code(first, state.newest_message_id)
        payload = (acc << _PAD_BITS).to_bytes(_PAYLOAD_BYTES, "big")
        chat = _chat_bytes(chat_id)
        mac_key, enc_key = self._keys[0]
        tag = _blake2b(chat + payload, key=mac_key, digest_size=TAG_BYTES).digest()
        sealed = _xor(payload, _keystream(enc_key, tag))
        data = base64.urlsafe_b64encode(sealed + tag).rstrip(b"=").decode("ascii")
        if len(data) > MAX_CALLBACK_BYTES:  # cannot happen: checked at import
            raise AssertionError("encoded state exceeds 64 bytes")
        return data

    def decode(self, data: str, chat_id: int) -> State:
        """The state a button carries, pressed in chat `chat_id`; InvalidState when it is not
        genuine, not made for this chat, or not valid."""
        if type(data) is not str or not _B64URL_CHARS.issuperset(data):
            raise InvalidState("not base64url")
        if len(data) != ENCODED_LENGTH:
            # A first character from another codec version explains the length; it is not
            # trusted for anything else.
            if data and _B64_INDEX[data[0]] >> 2 != CODEC_VERSION:
                raise InvalidState("wrong codec version")
            raise InvalidState("wrong length")
        try:
            raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
        except (binascii.Error, ValueError):
            raise InvalidState("garbled base64") from None
        # Unused low bits of the last character must be zero: one encoding per state.
        if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != data:
            raise InvalidState("non-canonical base64")
        if raw[0] >> 4 != CODEC_VERSION:
            raise InvalidState("wrong codec version")
        sealed, tag = raw[:_PAYLOAD_BYTES], raw[_PAYLOAD_BYTES:]
        payload = self._open(sealed, tag, _chat_bytes(chat_id))
        if payload is None:
            raise InvalidState("bad signature")
        state = _unpack(payload)
        if self._accept is not None and not self._accept(state):
            raise InvalidState("not a state the bot shows")
        return state

    def _open(self, sealed: bytes, tag: bytes, chat: bytes) -> bytes | None:
        found = None
        for mac_key, enc_key in self._keys:
            # Try every key, so time does not say which one matched.
            payload = _xor(sealed, _keystream(enc_key, tag))
            expected = _blake2b(chat + payload, key=mac_key, digest_size=TAG_BYTES).digest()
            if hmac.compare_digest(expected, tag) and found is None:
                found = payload
        return found


def _chat_bytes(chat_id: int) -> bytes:
    if type(chat_id) is not int or not -(1 << 63) <= chat_id < 1 << 63:
        raise ValueError("chat_id must be a 64-bit int")
    return chat_id.to_bytes(8, "big", signed=True)


def _keystream(key: bytes, iv: bytes) -> bytes:
    """BLAKE2b keyed with `key` over the synthetic IV, as long as the payload; the first 4 bits
    are zero so the codec version stays readable (and authenticated by the tag)."""
    stream = _blake2b(iv, key=key, digest_size=_PAYLOAD_BYTES).digest()
    return bytes([stream[0] & 0x0F]) + stream[1:]


def _xor(data: bytes, stream: bytes) -> bytes:
    return (int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")).to_bytes(len(data), "big")


def _newest_code(first: int, newest: object) -> int:
    if type(newest) is not int or newest < 0:
        raise ValueError("newest_message_id must be an int >= 0")
    if newest < first or newest == 0:
        return 0
    return min(newest - first, MAX_INTERVIEW_SPAN) + 1




def _unpack(payload: bytes) -> State:
    acc = int.from_bytes(payload, "big")
    if acc & ((1 << _PAD_BITS) - 1):
        raise InvalidState("non-zero padding")
    acc >>= _PAD_BITS
    newest = acc & _MAX_NEWEST
    acc >>= _NEWEST_BITS
    first_message_id = acc & _MAX_MESSAGE_ID
    acc >>= _MESSAGE_BITS
    days = acc & _MAX_DAYS
    acc >>= _DATE_BITS
    dk = acc & ((1 << _DK_BITS) - 1)
    acc >>= _DK_BITS

    block = acc & ((1 << _FACT_BITS) - 1)
    acc >>= _FACT_BITS
    facts: dict[str, FactValue] = {}
    for key, shift, mask, ncodes, values in _DECODE_TABLE:
        code = (block >> shift) & mask
        if code:
            value = values[code] if code < ncodes else None
            if value is None:
                raise InvalidState("value index out of range")
            facts[key] = value

    dont_know = []
    while dk:
        low = dk & -dk  # lowest set bit
        dont_know.append(_DK_BY_BIT[low])
        dk ^= low

    option = acc & ((1 << _OPTION_BITS) - 1)
    acc >>= _OPTION_BITS
    question = acc & ((1 << _QUESTION_BITS) - 1)
    acc >>= _QUESTION_BITS
    rules = acc & ((1 << _RULES_BITS) - 1)
    acc >>= _RULES_BITS
    screen = acc & ((1 << _SCREEN_BITS) - 1)
    acc >>= _SCREEN_BITS
    lang = _LANGS[acc & 1]

    return State(
        lang=lang,
        screen=screen,
        rules_version=f"{rules:08x}",
        question=question,
        option=option,
        facts=FrozenFacts._wrap(facts),
        dont_know=frozenset(dont_know),
        as_of=dt.date.fromordinal(_EPOCH_ORDINAL + days),
        first_message_id=first_message_id,
        newest_message_id=first_message_id + newest - 1 if newest else 0,
    )
