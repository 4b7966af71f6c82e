"""Fixed-width readouts in either language (dynalab.i18n.text_width): a Japanese (wide) character takes two columns,
so columns are padded and long texts cut by display width, never by a count of characters."""

from __future__ import annotations

import pytest

from dynalab.i18n.text_width import display_width, pad_to_width, truncate_to_width


@pytest.mark.parametrize("text, width", [
    ("", 0), ("PutItem", 7), ("強力な整合性", 12), ("GetItem 結果整合性", 18), ("ｱｲｳ", 3),  # half-width katakana: 1
    ("（）", 4), ("e\u0301", 1), ("…", 1), (42, 2),
])
def test_display_width_counts_columns(text, width):
    assert display_width(text) == width


def test_padded_mixed_columns_line_up():
    """Lesson 1's readout: an English and two Japanese labels, then a value that starts at one column for all."""
    labels = ["PutItem", "GetItem 強力な整合性", "GetItem 結果整合性"]
    lines = [f"{pad_to_width(label, 20)} ConsumedCapacity" for label in labels]
    assert len({line.index("ConsumedCapacity") for line in lines}) == 3  # characters differ ...
    assert {display_width(line[:line.index("ConsumedCapacity")]) for line in lines} == {21}  # ... columns do not
    assert pad_to_width("良い", 6) == "良い  " and pad_to_width("良い", 6, ">") == "  良い"
    assert pad_to_width("ab", 6, "^") == "  ab  " and pad_to_width("日本", 7, "center") == " 日本  "
    assert pad_to_width("ab", 5, "right", fill=".") == "...ab"
    # str.format would have given the Japanese labels two characters too many
    assert display_width(f"{'GetItem 強力な整合性':20}") == 26


def test_text_already_wide_enough_is_not_cut_by_padding():
    assert pad_to_width("パーティション", 4) == "パーティション"


@pytest.mark.parametrize("bad", [dict(align="middle"), dict(fill="ー"), dict(fill="--")])
def test_padding_rejects_what_it_cannot_do(bad):
    with pytest.raises(ValueError, match="got"):
        pad_to_width("x", 4, **bad)


def test_truncation_cuts_by_width_never_mid_character():
    message = "DynamoDB ストリームの starting_position には TRIM_HORIZON, LATEST のいずれかを指定してください"
    cut = truncate_to_width(message, 40)
    assert cut.endswith("…") and display_width(cut) <= 40 and display_width(cut) >= 39
    assert message.startswith(cut[:-1])
    assert truncate_to_width("あいうえお", 6) == "あい…"  # 5 columns: a third wide character would need 7
    assert truncate_to_width("あいうえお", 10) == "あいうえお"  # fits: unchanged, no ellipsis
    assert truncate_to_width("abcdef", 4, ellipsis="...") == "a..."
    assert truncate_to_width("abcdef", 2, ellipsis="...") == ".."
    assert truncate_to_width("abcdef", 0) == ""


def test_an_english_and_a_japanese_line_are_cut_to_the_same_width():
    english = "starting_position must be one of TRIM_HORIZON, LATEST for a DynamoDB stream (AT_TIMESTAMP is Kinesis)"
    japanese = "DynamoDB ストリームの starting_position には TRIM_HORIZON, LATEST のいずれかを指定してください"
    for text in (english, japanese):  # at most 80 columns; 79 where a wide character would have straddled the 80th
        assert display_width(truncate_to_width(text, 80)) in (79, 80)
    assert display_width(truncate_to_width(english, 80)) == 80 and len(truncate_to_width(japanese, 80)) < 80


def test_truncating_a_huge_value_reads_only_what_it_keeps():
    import time

    huge = "あ" * 2_000_000
    started = time.process_time()
    assert truncate_to_width(huge, 10) == "ああああ…"  # 4 wide characters (8 columns) and the ellipsis
    assert time.process_time() - started < 0.5


def test_negative_width_is_refused():
    with pytest.raises(ValueError, match="width must be from 0 to 10,000 columns"):
        truncate_to_width("x", -1)
