"""The button state codec (issue 3, "Nothing kept"; issue 9, "Delete means delete"): round trip,
the largest state fits in 64 bytes, tampering and foreign keys are rejected, key rotation, the data
is encrypted (nothing readable with the open layout) and bound to its chat, a golden encoding pins
the layout."""

from __future__ import annotations

import base64
import datetime as dt
import random
from typing import Any

import pytest

from interview import state_codec
from interview.state_codec import (
    CALLBACK_DATA_PATTERN,
    DATE_EPOCH,
    ENCODED_LENGTH,
    FactValue,
    FrozenFacts,
    InvalidState,
    State,
    StateCodec,
    is_state_data,
)
from rules.facts import FACTS

SECRET = b"test-secret-0123456789abcdef-0123456789"
OLD_SECRET = b"old-secret-0123456789abcdef-0123456789"
OTHER_SECRET = b"other-secret-0123456789abcdef-01234567"
CHAT = 700_000_123  # a private chat's id (the user's)

# The values the codec carries for each integer fact (the spec's ranges within FACTS' ones).
INT_RANGES = {
    "birth_year": (1900, 2100),
    "birth_month": (1, 12),
    "age": (0, 130),
    "children_under_16": (0, 6),
}
CARRIED = [key for key, spec in FACTS.items() if spec.kind != "date"]
LATEST = DATE_EPOCH + dt.timedelta(days=2**16 - 1)


def values_of(key: str) -> list[FactValue]:
    spec = FACTS[key]
    if spec.kind == "enum":
        return list(spec.values)
    if spec.kind == "bool":
        return [False, True]
    low, high = INT_RANGES[key]
    return list(range(low, high + 1))


def make_state(**changes: Any) -> State:
    fields: dict[str, Any] = {
        "lang": "ru",
        "screen": 1,
        "rules_version": "0badc0de",
        "question": 4,
        "option": 2,
        "facts": {"sex": "male", "age": 35, "citizen": True, "children_under_16": 3},
        "dont_know": frozenset({"fitness"}),
        "as_of": dt.date(2022, 10, 10),
        "first_message_id": 1001,
        "newest_message_id": 1017,
    }
    fields.update(changes)
    return State(**fields)


def random_state(rng: random.Random) -> State:
    facts: dict[str, FactValue] = {}
    for key in CARRIED:
        if rng.random() < 0.5:
            facts[key] = rng.choice(values_of(key))
    return State(
        lang=rng.choice(["ru", "en"]),
        screen=rng.randrange(16),
        rules_version=f"{rng.getrandbits(32):08x}",
        question=rng.randrange(64),
        option=rng.randrange(128),
        facts=facts,
        dont_know=frozenset(k for k in CARRIED if rng.random() < 0.2),
        as_of=DATE_EPOCH + dt.timedelta(days=rng.randrange(2**16)),
        first_message_id=(first := rng.getrandbits(32)),
        newest_message_id=rng.choice([0, first, first + rng.randrange(1, 2**16 - 1)]),
    )


def largest_state() -> State:
    return State(
        lang="en",
        screen=15,
        rules_version="ffffffff",
        question=63,
        option=127,
        facts={key: values_of(key)[-1] for key in CARRIED},
        dont_know=frozenset(CARRIED),
        as_of=LATEST,
        first_message_id=2**32 - 1,
        newest_message_id=2**32 - 1 + state_codec.MAX_INTERVIEW_SPAN,
    )


@pytest.fixture
def codec() -> StateCodec:
    return StateCodec([SECRET])


def resign(codec: StateCodec, payload: bytes, chat: int = CHAT) -> str:
    """Seal raw plaintext bytes as the codec would (to forge values the encoder refuses)."""
    import hashlib

    mac_key, enc_key = codec._keys[0]
    tag = hashlib.blake2b(chat.to_bytes(8, "big", signed=True) + payload, key=mac_key,
                          digest_size=state_codec.TAG_BYTES).digest()
    sealed = state_codec._xor(payload, state_codec._keystream(enc_key, tag))
    return base64.urlsafe_b64encode(sealed + tag).rstrip(b"=").decode()


def raw_of(data: str) -> bytes:
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


def payload_of(codec: StateCodec, data: str) -> bytes:
    """The plaintext of genuine data (opened with the codec's key)."""
    raw = raw_of(data)
    tag = raw[len(raw) - state_codec.TAG_BYTES :]
    opened = codec._open(raw[: len(raw) - state_codec.TAG_BYTES], tag,
                         CHAT.to_bytes(8, "big", signed=True))
    assert opened is not None
    return opened


def set_bits(payload: bytes, offset: int, width: int, value: int) -> bytes:
    """Overwrite `width` bits at `offset` (from the most significant bit) of the payload."""
    total = len(payload) * 8
    n = int.from_bytes(payload, "big")
    shift = total - offset - width
    n &= ~(((1 << width) - 1) << shift)
    n |= value << shift
    return n.to_bytes(len(payload), "big")


def fact_offset(key: str) -> tuple[int, int]:
    offset = 4 + 1 + 4 + 32 + 6 + 7
    for field in state_codec._FIELDS:
        if field.key == key:
            return offset, field.bits
        offset += field.bits
    raise KeyError(key)


# --- round trip ----------------------------------------------------------------------------


def test_round_trip_of_random_states(codec: StateCodec) -> None:
    rng = random.Random(20221010)
    for _ in range(600):
        state = random_state(rng)
        data = codec.encode(state, CHAT)
        assert len(data) == ENCODED_LENGTH
        assert CALLBACK_DATA_PATTERN.match(data)
        assert codec.decode(data, CHAT) == state


def test_every_value_of_every_fact_round_trips(codec: StateCodec) -> None:
    for key in CARRIED:
        for value in values_of(key):
            state = make_state(facts={key: value}, dont_know=frozenset())
            decoded = codec.decode(codec.encode(state, CHAT), CHAT)
            assert decoded.facts_dict() == {key: value}
            assert type(decoded.facts[key]) is type(value)


def test_unknown_and_empty_state(codec: StateCodec) -> None:
    state = make_state(facts={}, dont_know=frozenset(), first_message_id=0, as_of=DATE_EPOCH)
    assert codec.decode(codec.encode(state, CHAT), CHAT) == state


def test_largest_state_fits_in_64_bytes(codec: StateCodec) -> None:
    state = largest_state()
    data = codec.encode(state, CHAT)
    assert len(data.encode("utf-8")) <= 64
    assert len(data) == ENCODED_LENGTH
    assert codec.decode(data, CHAT) == state


def test_decoded_facts_follow_facts_order(codec: StateCodec) -> None:
    decoded = codec.decode(codec.encode(largest_state(), CHAT), CHAT)
    assert list(decoded.facts) == CARRIED


# --- tampering -----------------------------------------------------------------------------


@pytest.mark.parametrize("state", [make_state(), largest_state()], ids=["small", "largest"])
def test_every_single_bit_flip_of_the_data_is_rejected(codec: StateCodec, state: State) -> None:
    data = codec.encode(state, CHAT).encode("ascii")
    for i in range(len(data)):
        for bit in range(8):
            flipped = bytearray(data)
            flipped[i] ^= 1 << bit
            with pytest.raises(InvalidState):
                codec.decode(flipped.decode("latin-1"), CHAT)


def test_every_single_bit_flip_of_the_signed_bytes_is_rejected(codec: StateCodec) -> None:
    raw = bytearray(base64.urlsafe_b64decode(codec.encode(make_state(), CHAT) + "="))
    for i in range(len(raw) * 8):
        flipped = bytearray(raw)
        flipped[i // 8] ^= 0x80 >> (i % 8)
        with pytest.raises(InvalidState):
            codec.decode(base64.urlsafe_b64encode(bytes(flipped)).rstrip(b"=").decode(), CHAT)


def test_truncation_and_extension_are_rejected(codec: StateCodec) -> None:
    data = codec.encode(make_state(), CHAT)
    for n in range(len(data)):
        with pytest.raises(InvalidState):
            codec.decode(data[:n], CHAT)
    for extra in ["A", "_", "-", "=", "==", "AAAA", " ", "\n", data]:
        with pytest.raises(InvalidState):
            codec.decode(data + extra, CHAT)
        with pytest.raises(InvalidState):
            codec.decode(extra + data, CHAT)


def test_non_canonical_base64_is_rejected(codec: StateCodec) -> None:
    data = codec.encode(make_state(), CHAT)
    alphabet = state_codec._B64URL
    last = alphabet.index(data[-1])
    # The last character carries (raw bits mod 6) unused low bits (2 for 35 bytes, 4 for 34, none
    # for 36); setting them decodes to the same bytes and must be refused.
    spare = (-state_codec._RAW_BYTES * 8) % 6
    if spare == 0:  # every character is all data: no non-canonical twin exists
        assert len(data) * 6 == state_codec._RAW_BYTES * 8
        return
    pad = "=" * (-len(data) % 4)
    for unused in range(1, 1 << spare):
        other = data[:-1] + alphabet[last | unused]
        assert base64.urlsafe_b64decode(other + pad) == base64.urlsafe_b64decode(data + pad)
        with pytest.raises(InvalidState, match="non-canonical"):
            codec.decode(other, CHAT)


@pytest.mark.parametrize(
    "data",
    ["", "lang:en", "x" * 64, "é" * ENCODED_LENGTH, "+" * ENCODED_LENGTH, "/" * ENCODED_LENGTH],
)
def test_garbage_is_rejected(codec: StateCodec, data: str) -> None:
    with pytest.raises(InvalidState):
        codec.decode(data, CHAT)


def test_reason_never_contains_the_data(codec: StateCodec) -> None:
    data = codec.encode(make_state(), CHAT)
    forged = data[:-3] + ("AAA" if data[-3:] != "AAA" else "BAA")
    with pytest.raises(InvalidState) as caught:
        codec.decode(forged, CHAT)
    assert caught.value.reason == "bad signature"
    assert forged not in str(caught.value)
    assert forged not in repr(caught.value)


@pytest.mark.parametrize(
    ("key", "code"),
    [
        ("sex", 3),  # two values: codes 1..2
        ("citizen", 3),  # bool: codes 1..2
        ("birth_month", 13),
        ("birth_month", 15),
        ("age", 132),
        ("age", 255),
        ("birth_year", 2101 - 1899),  # beyond FACTS' maximum
        ("fitness", 6),
        ("military_status", 7),
        ("rank", 6),
    ],
)
def test_out_of_range_value_indexes_are_rejected(codec: StateCodec, key: str, code: int) -> None:
    offset, width = fact_offset(key)
    assert code < 1 << width
    plain = payload_of(codec, codec.encode(make_state(facts={}), CHAT))
    payload = set_bits(plain, offset, width, code)
    with pytest.raises(InvalidState, match="out of range"):
        codec.decode(resign(codec, payload), CHAT)


def test_the_forging_helper_itself_works(codec: StateCodec) -> None:
    # Guards the test above: a valid code written the same way decodes.
    offset, width = fact_offset("birth_month")
    plain = payload_of(codec, codec.encode(make_state(facts={}), CHAT))
    payload = set_bits(plain, offset, width, 12)
    assert codec.decode(resign(codec, payload), CHAT).facts_dict() == {"birth_month": 12}


def test_wrong_codec_version_is_rejected(codec: StateCodec) -> None:
    # The previous version (HMAC-SHA256 sealing) under today's key: refused by its version.
    payload = set_bits(payload_of(codec, codec.encode(make_state(), CHAT)), 0, 4,
                       state_codec.CODEC_VERSION - 1)
    with pytest.raises(InvalidState, match="codec version"):
        codec.decode(resign(codec, payload), CHAT)
    # A longer button of a later version says so too.
    with pytest.raises(InvalidState, match="codec version"):
        codec.decode(resign(codec, payload + b"\0"), CHAT)


def test_non_zero_padding_is_rejected(codec: StateCodec) -> None:
    pad = state_codec._PAD_BITS
    if pad == 0:
        pytest.skip("the layout fills its bytes")
    payload = bytearray(payload_of(codec, codec.encode(make_state(), CHAT)))
    payload[-1] |= 1
    with pytest.raises(InvalidState, match="padding"):
        codec.decode(resign(codec, bytes(payload)), CHAT)


# --- encryption and the chat -----------------------------------------------------------------


def open_layout(data: str) -> State | None:
    """What someone holding the data (the device, a chat export) reads with the published layout
    but no key: the bytes taken as the plaintext."""
    raw = raw_of(data)
    try:
        return state_codec._unpack(raw[: len(raw) - state_codec.TAG_BYTES])
    except InvalidState:
        return None


def test_the_open_layout_reads_no_answers_from_the_data(codec: StateCodec) -> None:
    rng = random.Random(647)
    readable = 0
    for _ in range(300):
        state = random_state(rng)
        seen = open_layout(codec.encode(state, CHAT))
        if seen is not None and (seen.facts == state.facts or seen.as_of == state.as_of
                                 or seen.first_message_id == state.first_message_id):
            readable += 1
    assert readable == 0


def test_states_differing_in_one_answer_share_no_visible_structure(codec: StateCodec) -> None:
    # A keystream under a synthetic IV: one answer changed flips about half of all bits, not a
    # few bits at the answer's place (which a signed-only layout would show).
    a = raw_of(codec.encode(make_state(facts={"sex": "male"}), CHAT))
    b = raw_of(codec.encode(make_state(facts={"sex": "female"}), CHAT))
    differing = bin(int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).count("1")
    assert len(a) * 8 * 0.3 < differing < len(a) * 8 * 0.7


def test_the_data_is_bound_to_its_chat(codec: StateCodec) -> None:
    data = codec.encode(make_state(), CHAT)
    assert codec.decode(data, CHAT) == make_state()
    for other in (CHAT + 1, -CHAT, -1001234567890, 0):
        with pytest.raises(InvalidState, match="signature"):
            codec.decode(data, other)
    # The same state made for another chat is other data.
    assert codec.encode(make_state(), -1001234567890) != data
    # Equal states in one chat give equal data (deterministic: the tag is the IV).
    assert codec.encode(make_state(), CHAT) == data


def test_the_version_stays_readable_and_authenticated(codec: StateCodec) -> None:
    raw = raw_of(codec.encode(make_state(), CHAT))
    assert raw[0] >> 4 == state_codec.CODEC_VERSION
    # A button of version 1 (signed, not encrypted, 48 characters) is refused by its version.
    with pytest.raises(InvalidState, match="codec version"):
        codec.decode("GQ0VniaODVuiGIQA0AAQAAGAAACNAAAISQAYN84yJ8IOyVUf", CHAT)


def test_the_newest_message_is_carried_and_capped(codec: StateCodec) -> None:
    def newest(first: int, value: int) -> int:
        state = make_state(first_message_id=first, newest_message_id=value)
        return codec.decode(codec.encode(state, CHAT), CHAT).newest_message_id

    assert newest(100, 180) == 180
    assert newest(100, 100) == 100
    assert newest(100, 0) == 0
    assert newest(100, 99) == 0  # before the interview began: unknown
    # Never beyond the interview's own span.
    assert newest(100, 10**9) == 100 + state_codec.MAX_INTERVIEW_SPAN


# --- keys ----------------------------------------------------------------------------------


def test_key_rotation() -> None:
    # Both keys (MAC and keystream) follow the secret: an old button opens under the old secret.
    state = make_state()
    old_button = StateCodec([OLD_SECRET]).encode(state, CHAT)
    rotated = StateCodec([SECRET, OLD_SECRET])
    assert rotated.decode(old_button, CHAT) == state
    # The new key signs: the old deployment cannot read buttons made after the rotation.
    new_button = rotated.encode(state, CHAT)
    assert new_button != old_button
    assert StateCodec([SECRET]).decode(new_button, CHAT) == state
    with pytest.raises(InvalidState, match="signature"):
        StateCodec([OLD_SECRET]).decode(new_button, CHAT)
    # The old key removed: its buttons stop working.
    with pytest.raises(InvalidState, match="signature"):
        StateCodec([SECRET]).decode(old_button, CHAT)


def test_another_secret_is_rejected(codec: StateCodec) -> None:
    with pytest.raises(InvalidState, match="signature"):
        codec.decode(StateCodec([OTHER_SECRET]).encode(make_state(), CHAT), CHAT)


def test_layout_change_invalidates_old_buttons(monkeypatch: pytest.MonkeyPatch) -> None:
    data = StateCodec([SECRET]).encode(make_state(), CHAT)
    monkeypatch.setattr(state_codec, "_LAYOUT_ID", state_codec._LAYOUT_ID + b";new_fact:2")
    with pytest.raises(InvalidState, match="signature"):
        StateCodec([SECRET]).decode(data, CHAT)


@pytest.mark.parametrize(
    ("secrets", "error"),
    [
        ([], ValueError),
        ([b"short"], ValueError),
        ([SECRET, b"x" * 31], ValueError),
        (SECRET, TypeError),
        (["a" * 40], TypeError),
    ],
)
def test_bad_secrets(secrets: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        StateCodec(secrets)


def test_repr_hides_keys() -> None:
    assert SECRET.decode() not in repr(StateCodec([SECRET]))


# --- layout stability ----------------------------------------------------------------------

# If either of these fails, the layout changed: buttons already sent will be rejected (their
# signature no longer matches). Append enum values only where they fit; otherwise do it on
# purpose and update both.
EXPECTED_LAYOUT = [
    ("sex", 2), ("birth_year", 8), ("birth_month", 4), ("age", 8), ("citizen", 2),
    ("military_status", 3), ("rank", 3), ("fitness", 3), ("conviction", 3), ("student", 3),
    ("student_program_ok", 2), ("children_under_16", 3), ("raises_children_alone", 2),
    ("wife_pregnant_22w", 2), ("disabled_child", 2), ("cares_for_relative", 2),
    ("guardian_of_sibling", 2), ("mother_alone_with_4_under_8", 2), ("parliament_member", 2),
    ("reserved_by_employer", 2), ("sector", 3), ("accredited_employer", 2),
    ("higher_education", 2), ("on_employer_list", 2),
    ("student_programme", 2), ("student_first_time", 2),  # appended by issue 8 (Decree 712)
    # appended by issue 14 (conscription, assemblies): buttons sent before it no longer verify
    ("conscientious_objector", 2), ("abroad", 2), ("reserve_contract", 2),
    ("academic_degree", 2), ("relative_died_in_service", 2),
]  # fmt: skip
GOLDEN_SECRET = b"golden-secret-for-layout-stability!!"
GOLDEN_STATE = State(
    lang="en",
    screen=2,
    rules_version="1a2b3c4d",
    question=7,
    option=3,
    facts={
        "sex": "male",
        "birth_year": 1990,
        "birth_month": 10,
        "age": 32,
        "citizen": True,
        "military_status": "reserve",
        "fitness": "B",
        "children_under_16": 2,
        "raises_children_alone": False,
        "sector": "it",
    },
    dont_know=frozenset({"student", "conviction"}),
    as_of=dt.date(2022, 10, 10),
    first_message_id=4242,
    newest_message_id=4250,
)
# codec v3 (BLAKE2b sealing) with the facts of issue 14, chat CHAT (v2 gave
# "J7PrjNG82lnTPEnDTCSazIiuKcjBczQvQO1tumnCdFGQwdaCt8hF")
GOLDEN_DATA = "MhxOL-TJ7aO8LeWyve20d89zNEj4Yo0Evm-AmCwyKoqAiKYYfYaT"


def test_field_layout() -> None:
    assert [(f.key, f.bits) for f in state_codec._FIELDS] == EXPECTED_LAYOUT


def test_golden_encoding() -> None:
    codec = StateCodec([GOLDEN_SECRET])
    assert codec.encode(GOLDEN_STATE, CHAT) == GOLDEN_DATA
    assert codec.decode(GOLDEN_DATA, CHAT) == GOLDEN_STATE


# --- values outside the vocabulary ---------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"facts": {"sex": "other"}},
        {"facts": {"sex": True}},
        {"facts": {"citizen": 1}},
        {"facts": {"citizen": "yes"}},
        {"facts": {"age": 131}},
        {"facts": {"age": -1}},
        {"facts": {"age": True}},
        {"facts": {"age": 30.0}},
        {"facts": {"birth_year": 1899}},
        {"facts": {"birth_year": 2101}},
        {"facts": {"birth_month": 0}},
        {"facts": {"birth_month": 13}},
        {"facts": {"children_under_16": 7}},
        {"facts": {"fitness": "a"}},
        {"facts": {"no_such_fact": True}},
        {"facts": {"birth_date": "1990-01-01"}},
        {"dont_know": frozenset({"birth_date"})},
        {"dont_know": frozenset({"no_such_fact"})},
        {"lang": "de"},
        {"screen": 16},
        {"screen": -1},
        {"question": 64},
        {"option": 128},
        {"option": True},
        {"rules_version": "DEADBEEF"},
        {"rules_version": "abc"},
        {"rules_version": "deadbeef0"},
        {"rules_version": "deadbeeg"},
        {"first_message_id": 2**32},
        {"first_message_id": -1},
        {"newest_message_id": -1},
        {"newest_message_id": 1.5},
        {"as_of": DATE_EPOCH - dt.timedelta(days=1)},
        {"as_of": LATEST + dt.timedelta(days=1)},
        {"as_of": dt.datetime(2022, 10, 10, tzinfo=dt.UTC)},
    ],
)
def test_values_outside_the_layout_raise_on_encode(codec: StateCodec, changes: Any) -> None:
    with pytest.raises(ValueError):
        codec.encode(make_state(**changes), CHAT)


# --- the State value and the data's shape --------------------------------------------------


def test_state_is_immutable_and_hashable() -> None:
    facts = {"sex": "male", "age": 30}
    state = make_state(facts=facts, dont_know={"fitness"})
    facts["age"] = 31
    assert state.facts["age"] == 30
    assert isinstance(state.facts, FrozenFacts)
    assert state.dont_know == frozenset({"fitness"})
    copy = state.facts_dict()
    copy["age"] = 40
    assert state.facts["age"] == 30
    assert hash(state) == hash(make_state(facts={"age": 30, "sex": "male"}, dont_know={"fitness"}))
    assert make_state(facts={"citizen": True}) != make_state(facts={"citizen": 1})
    # None means unknown.
    assert make_state(facts={"sex": None, "age": 30}) == make_state(facts={"age": 30})


def test_data_shape_is_distinguishable(codec: StateCodec) -> None:
    data = codec.encode(make_state(), CHAT)
    assert is_state_data(data)
    for other in ["lang:en", "noop", "restart", data[:-1], data + "A", "lang:" + data[5:]]:
        assert not is_state_data(other)
        assert not CALLBACK_DATA_PATTERN.match(other)


def test_value_code_and_code_value_agree_with_the_layout() -> None:
    for key in CARRIED:
        for value in values_of(key):
            code = state_codec.value_code(key, value)
            assert code >= 1
            assert state_codec.code_value(key, code) == value
    assert state_codec.value_code("sex", "male") == 1
    assert state_codec.value_code("citizen", False) == 1
    assert state_codec.value_code("citizen", True) == 2
    assert state_codec.value_code("age", 0) == 1
    assert state_codec.value_code("birth_year", 1990) == 91
    assert state_codec.value_code("children_under_16", 6) == 7
    bad_values: list[tuple[str, FactValue]] = [
        ("sex", "other"),
        ("citizen", 1),
        ("age", 131),
        ("birth_date", "2000-01-01"),
        ("nope", True),
    ]
    for key, bad in bad_values:
        with pytest.raises(ValueError):
            state_codec.value_code(key, bad)
    for key, code in [("sex", 0), ("sex", 3), ("birth_month", 13), ("age", -1), ("nope", 1)]:
        with pytest.raises(ValueError):
            state_codec.code_value(key, code)


def test_a_genuine_state_the_bot_cannot_show_is_refused() -> None:
    sealed = StateCodec([SECRET]).encode(make_state(screen=15), CHAT)
    picky = StateCodec([SECRET], accept=lambda state: state.screen <= 12)
    with pytest.raises(InvalidState, match="not a state the bot shows"):
        picky.decode(sealed, CHAT)
    assert picky.decode(StateCodec([SECRET]).encode(make_state(), CHAT), CHAT) == make_state()
