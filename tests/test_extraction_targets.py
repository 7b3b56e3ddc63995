"""Who an action is aimed at, sentence by sentence: targets and the names that are not.

Buyers, partners, media, app stores and owners named only to identify a company are never
targets; an unknown company becomes one when the sentence aims an action at it.
"""

import datetime as dt

import pytest

from timeline.extraction import extract
from timeline.extraction.seeds import gazetteer_from_seed_files, media_from_seed_files

PUBLISHED = dt.date(2024, 6, 21)

CASES = [
    pytest.param(
        "Microsoft is in talks to buy TikTok. Last week, President Trump ordered ByteDance to divest TikTok.",
        {"ByteDance", "TikTok"},
        {"Microsoft"},
        id="buyer",
    ),
    pytest.param(
        "TikTok's parent company, ByteDance, has been in talks with Oracle. "
        "The Commerce Department said on Friday it would ban TikTok.",
        {"TikTok"},
        {"Oracle", "ByteDance"},
        id="partner-in-talks",
    ),
    pytest.param(
        "The Commerce Department banned TikTok on Sunday, so the app is not available for download "
        "in the Apple and Google app stores.",
        {"TikTok"},
        {"Apple", "Google"},
        id="app-stores",
    ),
    pytest.param(
        "Reuters reported that the Justice Department sued Google on Monday.",
        {"Google"},
        {"Reuters"},
        id="media-source",
    ),
    pytest.param(
        "Fox Business reported that India banned TikTok on Monday.",
        {"TikTok"},
        {"Fox Business"},
        id="media-not-in-gazetteer",
    ),
    pytest.param(
        "The Justice Department charged Huawei with bank fraud on Thursday, Bloomberg News reported.",
        {"Huawei"},
        {"Bloomberg"},
        id="media-after-clause",
    ),
    pytest.param(
        "Last week, Trump ordered action against the Chinese owners of TikTok and WeChat.",
        {"TikTok", "ByteDance", "WeChat", "Tencent"},
        set(),
        id="owners-of",
    ),
    pytest.param(
        "The Commerce Department banned Tencent-owned WeChat on Friday.",
        {"WeChat"},
        {"Tencent"},
        id="x-owned-y",
    ),
    pytest.param(
        "The European Commission fined Alphabet's Google 4.3 billion euros on Wednesday.",
        {"Google"},
        {"Alphabet"},
        id="parent-possessive",
    ),
    pytest.param(
        "The Treasury Department imposed sanctions on Kunlun Shipping Company Limited on Tuesday.",
        {"Kunlun Shipping Company Limited"},
        set(),
        id="unknown-company-sanctioned",
    ),
    pytest.param(
        "The Commerce Department on Wednesday added Acme Robotics Co., Ltd. to the Entity List.",
        {"Acme Robotics Co., Ltd."},
        set(),
        id="unknown-company-entity-list",
    ),
    pytest.param(
        "OFAC designated Garantex on Tuesday for helping ransomware gangs launder money.",
        {"Garantex"},
        set(),
        id="ofac-designation",
    ),
    pytest.param(
        "Nvidia shares fell after the Commerce Department imposed new export controls on Huawei on Monday.",
        {"Huawei"},
        {"Nvidia"},
        id="bystander-subject",
    ),
    pytest.param(
        "Kaspersky sells antivirus software worldwide. The company has long been a target of US regulators. "
        "In 2017, the Department of Homeland Security banned its main antivirus product from federal networks.",
        {"Kaspersky"},
        set(),
        id="possessive-pronoun",
    ),
    pytest.param(
        "President Trump has signaled that he would increase pressure on Chinese-owned companies, such as "
        "Alibaba, following his latest move against TikTok's parent company, ByteDance.",
        {"Alibaba"},
        {"ByteDance", "TikTok"},
        id="background-phrase",
    ),
    pytest.param(
        "The President's August 14 Order requires ByteDance to divest its interest in TikTok, which it built "
        "through its acquisition of Musical.ly.",
        {"ByteDance", "TikTok"},
        {"Musical.ly"},
        id="acquired-company",
    ),
    pytest.param(
        "The ministry announced on Monday the inclusion of two firms on its unreliable entity list. "
        "The two firms are Lockheed Martin and Boeing.",
        {"Lockheed Martin", "Boeing"},
        set(),
        id="plural-noun-named-in-the-next-sentence",
    ),
    pytest.param(
        "Washington imposed sanctions on Tuesday on Moscow's biggest lenders. Officials gave no more details. "
        "The Treasury moved against the country's biggest lenders, Sberbank and VTB, to cut them off.",
        {"Sberbank", "VTB"},
        set(),
        id="plural-noun-named-later-with-the-same-noun",
    ),
    pytest.param(
        "The regulator compared its lawsuit against Amazon to the earlier lawsuit against Alibaba.",
        {"Amazon"},
        {"Alibaba"},
        id="company-in-a-comparison",
    ),
    pytest.param(
        "The Commerce Department extended the Temporary General License for Huawei by 90 days on Monday.",
        {"Huawei"},
        {"Temporary General License"},
        id="legal-instrument-is-no-company",
    ),
    pytest.param(
        "The competition authority on Tuesday blocked Microsoft's planned takeover of Nintendo.",
        {"Microsoft", "Nintendo"},
        set(),
        id="blocked-deal-hits-both-parties",
    ),
    pytest.param(
        "Oracle is in talks to buy Nintendo. On Tuesday the Commerce Department banned Nintendo.",
        {"Nintendo"},
        {"Oracle"},
        id="buyer-in-talks-is-not-hit",
    ),
    pytest.param(
        "On Tuesday the ministry banned 12 foreign apps, among them Shein, QQ Music and Temu.",
        {"Shein", "QQ Music", "Temu"},
        {"QQ"},
        id="known-name-plus-product-word-in-a-list",
    ),
    pytest.param(
        "Among the apps banned on Tuesday was China's Instagram like photo app Weibo.",
        {"Weibo"},
        {"Instagram"},
        id="x-like-label-describes-the-named-app",
    ),
]


@pytest.mark.parametrize(("text", "targets", "non_targets"), CASES)
def test_targets(text, targets, non_targets):
    result = extract(text, PUBLISHED, gazetteer_from_seed_files(), media=media_from_seed_files())
    found = {t for action in result.actions for t in action.targets}
    assert found == targets
    assert not found & non_targets


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "A Kaspersky spokesperson said the company would challenge the ban in court.", id="company-speaks"
        ),
        pytest.param("TikTok sued the Commerce Department on Friday to stop the ban.", id="company-sues-government"),
        pytest.param("Oracle reported quarterly earnings on Tuesday, beating expectations.", id="business-news"),
        pytest.param(
            "Trump warned that he could impose tariffs on China if Beijing failed to approve a deal with TikTok.",
            id="threat-against-a-country",
        ),
    ],
)
def test_no_government_action_against_a_company(text):
    result = extract(text, PUBLISHED, gazetteer_from_seed_files(), media=media_from_seed_files())
    assert result.actions == []


def test_unknown_company_is_reported_as_new():
    text = "The Treasury Department imposed sanctions on Kunlun Shipping Company Limited on Tuesday."
    (action,) = extract(text, PUBLISHED, gazetteer_from_seed_files(), media=media_from_seed_files()).actions
    assert action.new_targets == ["Kunlun Shipping Company Limited"]
