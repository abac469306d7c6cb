"""Sentences and summaries of scripts with their own stops or without spaces.

All texts are fictional, written for these tests.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.summarize import split_sentences, summarize
from digest.summarize.sentences import SCRIPT_STOPS
from digest.summarize.units import MIN_WORDS, classify, content_terms

CHINESE = (
    "青山县今天开通了第一条电动公交线路。"
    "这条线路连接火车站和县医院，全长十二公里！"
    "县交通局表示，电动公交每十五分钟一班。"
    "居民们会喜欢这条新线路吗？"
    "交通局计划明年再开通三条电动公交线路。"
)
JAPANESE = (
    "みどり市で新しい図書館が開館しました。"
    "図書館には三万冊の本があります！"
    "市長は「みんなの図書館です。」と話しました。"
    "週末は家族連れでにぎわいました？"
)
URDU = "گاؤں میں نیا اسکول کھل گیا۔ بچے بہت خوش ہیں؟ اساتذہ نے کہا کہ کلاسیں پیر سے شروع ہوں گی۔"
HINDI = "नदी के किनारे नया पुल बन गया है। गाँव के लोग बहुत खुश हैं॥ अब बच्चे जल्दी स्कूल पहुँचेंगे।"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (CHINESE, [
            "青山县今天开通了第一条电动公交线路。",
            "这条线路连接火车站和县医院，全长十二公里！",
            "县交通局表示，电动公交每十五分钟一班。",
            "居民们会喜欢这条新线路吗？",
            "交通局计划明年再开通三条电动公交线路。",
        ]),
        ("他说：“今天的比赛很精彩。”观众都站了起来。",
         ["他说：“今天的比赛很精彩。”", "观众都站了起来。"]),
        ("真的吗?当然是真的。", ["真的吗?", "当然是真的。"]),
        ("新规定下周生效！！大家准备好了吗？？ 准备好了。",
         ["新规定下周生效！！", "大家准备好了吗？？", "准备好了。"]),
        (JAPANESE, [
            "みどり市で新しい図書館が開館しました。",
            "図書館には三万冊の本があります！",
            "市長は「みんなの図書館です。」と話しました。",
            "週末は家族連れでにぎわいました？",
        ]),
        (URDU, [
            "گاؤں میں نیا اسکول کھل گیا۔",
            "بچے بہت خوش ہیں؟",
            "اساتذہ نے کہا کہ کلاسیں پیر سے شروع ہوں گی۔",
        ]),
        ("بارش ہوئی۔اگلے دن دھوپ نکلی۔", ["بارش ہوئی۔", "اگلے دن دھوپ نکلی۔"]),
        (HINDI, [
            "नदी के किनारे नया पुल बन गया है।",
            "गाँव के लोग बहुत खुश हैं॥",
            "अब बच्चे जल्दी स्कूल पहुँचेंगे।",
        ]),
        ("Երևանում նոր այգի բացվեց։ Մարդիկ ուրախ են։",
         ["Երևանում նոր այգի բացվեց։", "Մարդիկ ուրախ են։"]),
        ("አዲስ መንገድ ተከፈተ። ሰዎች ደስ አላቸው።", ["አዲስ መንገድ ተከፈተ።", "ሰዎች ደስ አላቸው።"]),
        ("မြို့တွင် ဈေးသစ် ဖွင့်သည်။ လူများ ဝမ်းသာကြသည်။",
         ["မြို့တွင် ဈေးသစ် ဖွင့်သည်။", "လူများ ဝမ်းသာကြသည်။"]),
    ],
)
def test_script_stops_end_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_thai_without_stops_stays_one_unit() -> None:
    text = "วันนี้ฝนตกหนักในเมือง ถนนหลายสายมีน้ำท่วม"
    assert split_sentences(text) == [text]


def test_english_mixed_with_cjk_keeps_its_rules() -> None:
    text = "Mr. Smith visited Tokyo. He said: 東京は素晴らしい。Then he left."
    assert split_sentences(text) == [
        "Mr. Smith visited Tokyo.", "He said: 東京は素晴らしい。", "Then he left."]


def test_han_sentences_have_words_and_shared_terms() -> None:
    first, _, third = split_sentences(CHINESE)[:3]
    assert classify(first)[0] == "sentence"
    assert classify(first)[1] >= MIN_WORDS
    # bigrams: two sentences about the bus line share terms
    assert {"交通", "公交", "电动"} <= set(content_terms(third))
    assert set(content_terms(first)) & set(content_terms(third))


@pytest.mark.parametrize("text", [CHINESE, JAPANESE, URDU, HINDI])
def test_summaries_of_other_scripts_are_verbatim_sentences_in_order(text: str) -> None:
    summary = summarize(text, 2)
    assert summary, "a text of several sentences has a summary"
    sentences = split_sentences(text)
    assert all(s in sentences for s in summary)
    positions = [sentences.index(s) for s in summary]
    assert positions == sorted(positions)
    assert len(summary) < len(sentences)


def test_summary_of_one_line_chinese_item_is_not_the_whole_text() -> None:
    summary = summarize(CHINESE, 1)
    assert len(summary) == 1
    assert summary[0] != CHINESE
    assert summary[0].endswith(("。", "！", "？"))


_ALPHABET = st.sampled_from(
    list("ab .!?\n\"'”」）") + list(SCRIPT_STOPS) + list("中文字東京かなカナ۔नदीاردو ")
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80) | st.text(max_size=80))
def test_splitting_never_loses_or_reorders_text(text: str) -> None:
    sentences = split_sentences(text)
    assert re.sub(r"\s+", "", "".join(sentences)) == re.sub(r"\s+", "", text)
    assert all(s and s == s.strip() and "\n" not in s for s in sentences)
    summarize(text, 2)  # never crashes


def test_words_run_on_through_combining_marks() -> None:
    from digest.clean.lines import WORD
    from digest.text import words

    # Devanagari's vowel signs and virama are marks, not letters: one word each, not pieces
    assert words("नदी के किनारे नया पुल") == ["नदी", "के", "किनारे", "नया", "पुल"]
    assert WORD.findall("गाँव के लोग") == ["गाँव", "के", "लोग"]
    # Latin with a combining accent (not precomposed) is one word too
    assert words("cafe\u0301 open") == ["cafe\u0301", "open"]
    assert words("it’s the harbour_master") == ["it’s", "the", "harbour", "master"]


@pytest.mark.parametrize("mark", ["？", "؟", "?"])
def test_a_question_in_another_script_ranks_as_a_question(mark: str) -> None:
    from digest.summarize.rank import PositionalCentralityRanker, cosine_matrix
    from digest.summarize.units import make_units

    ranker = PositionalCentralityRanker()
    statement = "The council approved the budget for the new harbour wall today."
    asked = "Will the council approve the budget for the new harbour wall today" + mark
    plain = "Will the council approve the budget for the new harbour wall today."
    assert ranker.question_factor < 1
    scores = {}
    for last in (asked, plain):
        units = make_units([statement, last])
        scores[last] = ranker.scores(units, cosine_matrix(units))[1]
    assert scores[asked] == pytest.approx(scores[plain] * ranker.question_factor)
