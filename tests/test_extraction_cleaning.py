"""Cleaning drops page furniture, keeps every word of the article and maps offsets back."""

import pytest

from timeline.extraction.cleaning import clean_text, is_furniture, is_shouted_headline


@pytest.mark.parametrize(
    "line",
    [
        "GET FOX BUSINESS ON THE GO by clicking here",
        "CLICK HERE TO READ MORE ABOUT FOXBUSINESS",
        "The Associated Press contributed to this report.",
        "Reuters contributed to this story",
        "By David Shepardson and Katie Paul",
        "By Foo Yun Chee, Reuters",
        "Reporting by David Shepardson; Editing by Leslie Adler",
        "Subscribe to our daily newsletter",
        "Share this article",
        "Related: Trump bans TikTok",
        "Get the app",
        "FILE PHOTO: A TikTok logo is displayed on a smartphone. REUTERS/Dado Ruvic/Illustration",
        "Comment on the photo, Eugene Kaspersky, CEO of Kaspersky Lab",
        "(Photo by Drew Angerer/Getty Images)",
    ],
)
def test_page_furniture_lines(line):
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "Reached for comment, a TikTok spokesperson said the app was disappointed in the decision.",
        "By this Public Notice, the Bureau finds good cause to extend the timeframe.",
        "By contrast, the European Commission fined Google 2.4 billion euros.",
        "Follow-on sanctions against the shipping network are expected, the Treasury said.",
        "Share prices of Alibaba fell 3% after the announcement.",
        "Get ready for more tariffs, the president told reporters.",
    ],
)
def test_content_lines_are_kept(line):
    assert not is_furniture(line)
    assert clean_text(line).text == line


def test_shouted_teaser_inside_the_body_is_dropped_but_a_shouted_first_line_is_kept():
    raw = (
        "EU FINES GOOGLE\n\n"
        "The European Commission fined Google on Tuesday.\n\n"
        "THE FASHIONED COMPANY OF TIKTOK, BYTEDANCE, MOVES IN HONG KONG MARKET\n\n"
        "Google said it would appeal."
    )
    text = clean_text(raw).text
    assert text.startswith("EU FINES GOOGLE")
    assert "HONG KONG MARKET" not in text
    assert "Google said it would appeal." in text
    assert is_shouted_headline("THE FASHIONED COMPANY OF TIKTOK, BYTEDANCE, MOVES IN HONG KONG MARKET")
    assert not is_shouted_headline("U.S. FCC")  # an acronym is no headline


@pytest.mark.parametrize(
    ("raw", "dateline", "kept"),
    [
        (
            "WASHINGTON (Reuters) - President Donald Trump signed an order.",
            "WASHINGTON (Reuters) -",
            "President Donald Trump signed an order.",
        ),
        (
            "WASHINGTON, D.C. \u2013 Today, the Bureau announced a rule.",
            "WASHINGTON, D.C. \u2013",
            "Today, the Bureau announced a rule.",
        ),
        ("NEW DELHI (AP) \u2014 India banned 59 apps.", "NEW DELHI (AP) \u2014", "India banned 59 apps."),
        ("BRUSSELS, July 18 (Reuters) - The EU fined Google.", "BRUSSELS, July 18 (Reuters) -", "The EU fined Google."),
    ],
)
def test_dateline_prefix_is_cut_and_remembered(raw, dateline, kept):
    cleaned = clean_text(raw)
    assert cleaned.text == kept
    assert cleaned.dateline == dateline


def test_a_sentence_starting_with_an_acronym_and_dash_keeps_its_words():
    cleaned = clean_text("U.S. - China trade talks resumed on Monday.")
    assert cleaned.text == "U.S. - China trade talks resumed on Monday."
    assert cleaned.dateline == ""


def test_quotes_and_spaces_are_normalized_without_rewriting_words():
    raw = "\u201cWe\u2019re looking at other things,\u201d  Trump\u00a0said \u2013 including COVID fax research."
    text = clean_text(raw).text
    assert text == '"We\'re looking at other things," Trump said \u2013 including COVID fax research.'


def test_paragraphs_and_hard_wrapped_lines():
    raw = "Title line\n\n\nFirst paragraph that was\nhard wrapped here.\nSecond line.\n\n\nLast paragraph."
    assert (
        clean_text(raw).text
        == "Title line\n\nFirst paragraph that was hard wrapped here.\nSecond line.\n\nLast paragraph."
    )


def test_offsets_map_back_to_the_raw_text():
    raw = (
        "By David Shepardson\n\n"
        "WASHINGTON (Reuters) -   President  Donald Trump signed an executive order on Monday.\n\n"
        "GET FOX BUSINESS ON THE GO by clicking here\n\n"
        "The \u201corder\u201d directs the attorney general."
    )
    cleaned = clean_text(raw)
    for word in ("President", "Donald", "Monday", "directs", "attorney"):
        at = cleaned.text.index(word)
        original = cleaned.to_original(at)
        assert raw[original : original + len(word)] == word
    quote_at = cleaned.text.index('"order"')
    assert raw[cleaned.to_original(quote_at + 1) : cleaned.to_original(quote_at + 1) + 5] == "order"
