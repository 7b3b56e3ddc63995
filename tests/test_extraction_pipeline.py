"""The extraction pipeline end to end: article text and date in, government actions out.

Runs spaCy but no database. The founding example is the Fox Business report on Trump,
ByteDance and Alibaba; the others are short articles about other governments and industries.
"""

import datetime as dt
import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from timeline.extraction import EXTRACTOR_VERSION, extract, extract_many
from timeline.extraction.__main__ import main as cli_main
from timeline.extraction.seeds import gazetteer_from_seed_files, media_from_seed_files

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "extraction"
D = dt.date


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def run(name: str, published: dt.date):
    return extract(read(name), published, gazetteer_from_seed_files(), media=media_from_seed_files())


def of_type(result, action_type):
    return [a for a in result.actions if a.action_type == action_type]


@pytest.fixture(scope="module")
def founding():
    return run("seed_alibaba_bytedance.txt", D(2020, 8, 16))


def test_founding_divestment_order_is_dated_and_has_its_deadline(founding):
    """'Trump gave ByteDance 90 days on Friday to disinvest ... its TikTok app' is one order."""
    (order,) = of_type(founding, "divestment_order")
    assert order.actor == "Donald Trump"
    assert set(order.targets) == {"ByteDance", "TikTok"}
    assert (order.window.start, order.window.end) == (D(2020, 8, 14), D(2020, 8, 14))
    assert [d.due_on for d in order.deadlines] == [D(2020, 11, 12)]
    assert "90 days" in order.evidence
    assert "2020-11-12" in order.summary


def test_founding_last_weeks_order_targets_the_owners_of_both_apps(founding):
    (order,) = of_type(founding, "executive_order")
    assert order.window.start >= D(2020, 8, 3) and order.window.end <= D(2020, 8, 15)
    assert order.window.precision == "week"
    assert {"TikTok", "WeChat"} <= set(order.targets)


def test_founding_pompeo_statement_names_the_cloud_companies(founding):
    pompeo = [a for a in of_type(founding, "statement") if a.actor == "Mike Pompeo"]
    assert len(pompeo) == 1
    assert set(pompeo[0].targets) == {"Alibaba", "Baidu", "China Mobile", "China Telecom", "Tencent"}
    window = pompeo[0].window
    assert D(2020, 8, 1) <= window.start and window.end <= D(2020, 8, 16)


def test_founding_trump_threat_is_a_statement_not_an_order(founding):
    trump = [a for a in of_type(founding, "statement") if a.actor == "Donald Trump"]
    assert len(trump) == 1 and trump[0].targets == ["Alibaba"]
    assert trump[0].window.start == D(2020, 8, 15)


def test_founding_buyers_media_and_promo_are_not_targets(founding):
    targets = {t for a in founding.actions for t in a.targets}
    assert not targets & {"Microsoft", "Reuters", "Fox Business", "Associated Press"}
    assert "CLICK HERE" not in founding.text and "GET FOX BUSINESS" not in founding.text


def test_offsets_point_into_the_cleaned_text(founding):
    for action in founding.actions:
        assert founding.text[action.start_char : action.end_char] == action.evidence
        assert 0.0 <= action.confidence <= 1.0


def test_article_without_government_action_yields_none():
    assert run("no_government_action.txt", D(2023, 5, 2)).actions == []


def test_european_commission_fine_is_a_sanction_on_google_with_its_deadline():
    result = run("eu_commission_fines_google.txt", D(2017, 6, 27))
    (fine,) = result.actions
    assert (fine.action_type, fine.actor, fine.targets) == ("sanction", "European Commission", ["Google"])
    assert fine.window.start == D(2017, 6, 27)
    assert [d.due_on for d in fine.deadlines] == [D(2017, 9, 25)]


def test_justice_department_lawsuit_against_apple():
    result = run("doj_sues_apple.txt", D(2024, 3, 22))
    (suit,) = result.actions
    assert (suit.action_type, suit.actor, suit.targets) == ("lawsuit", "Justice Department", ["Apple"])
    assert suit.window.start == D(2024, 3, 21)  # "on Thursday" before a Friday publication


def test_india_app_ban_targets_the_apps_not_their_owners():
    result = run("india_bans_apps.txt", D(2020, 6, 29))
    (ban,) = result.actions
    assert (ban.action_type, ban.actor) == ("ban", "India")
    assert ban.targets == ["TikTok", "WeChat"]
    assert "Flipkart" not in ban.targets and "Walmart" not in ban.targets
    assert ban.window.start == D(2020, 6, 29)


def test_ofac_sanctions_an_unknown_company_and_reports_it_as_new():
    result = run("ofac_sanctions_shipping.txt", D(2023, 3, 16))
    (sanction,) = result.actions
    assert sanction.action_type == "sanction"
    assert sanction.actor == "Office of Foreign Assets Control"
    assert sanction.targets == sanction.new_targets == ["Kunlun Shipping Company Limited"]
    assert sanction.window.start == D(2023, 3, 16)  # "Today," in a release


def test_court_blocking_a_ban_is_a_court_ruling_not_a_ban():
    result = run("court_blocks_download_ban.txt", D(2020, 9, 28))
    assert [a.action_type for a in result.actions] == ["court_ruling"]
    assert result.actions[0].targets == ["TikTok"]
    assert result.actions[0].window.start == D(2020, 9, 27)


def test_extract_many_matches_extract_one_by_one():
    items = [(read("doj_sues_apple.txt"), D(2024, 3, 22)), (read("india_bans_apps.txt"), D(2020, 6, 29))]
    gazetteer = gazetteer_from_seed_files()
    batched = list(extract_many(items, gazetteer, media=media_from_seed_files(), batch_size=1))
    single = [extract(text, day, gazetteer, media=media_from_seed_files()) for text, day in items]
    assert [[a.as_json() for a in r.actions] for r in batched] == [[a.as_json() for a in r.actions] for r in single]


def test_cli_prints_the_json_contract(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(read("doj_sues_apple.txt"), encoding="utf-8")
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli_main([str(article), "--published", "2024-03-22", "--json"]) == 0
    payload = json.loads(out.getvalue())
    assert payload["extractor_version"] == EXTRACTOR_VERSION
    (action,) = payload["actions"]
    assert set(action) >= {"action_type", "actor", "date_start", "date_end", "targets", "deadlines", "evidence"}
    assert action["date_start"] == "2024-03-21"


def test_cli_prints_json_lines_for_several_paths(tmp_path):
    paths = []
    for name in ("doj_sues_apple.txt", "no_government_action.txt"):
        path = tmp_path / name
        path.write_text(read(name), encoding="utf-8")
        paths.append(str(path))
    out = io.StringIO()
    with redirect_stdout(out):
        cli_main([*paths, "--published", "2024-03-22", "--json"])
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["path"] for line in lines] == paths
    assert [len(line["actions"]) for line in lines] == [1, 0]


@pytest.mark.parametrize(
    ("sentence", "action_type", "actor", "targets", "day"),
    [
        pytest.param(
            "South Korea's Fair Trade Commission fined Google 207 billion won on Tuesday for abusing its market dominance.",
            "sanction",
            "Fair Trade Commission",
            ["Google"],
            D(2024, 6, 18),
            id="korea-fine",
        ),
        pytest.param(
            "Canada's Competition Bureau sued Google on Thursday, alleging anti-competitive conduct in online advertising.",
            "lawsuit",
            "Competition Bureau Canada",
            ["Google"],
            D(2024, 6, 20),
            id="canada-lawsuit",
        ),
        pytest.param(
            "Nigeria suspended Twitter indefinitely on Friday after the platform deleted a post by the president.",
            "ban",
            "Nigeria",
            ["X Corp."],
            D(2024, 6, 21),
            id="nigeria-suspension",
        ),
        pytest.param(
            "The Treasury Department sanctioned Sovcomflot, Russia's largest shipping company, on Friday.",
            "sanction",
            "Treasury Department",
            ["Sovcomflot"],
            D(2024, 6, 21),
            id="treasury-sanctions",
        ),
        pytest.param(
            "A Chinese court ordered Micron to stop selling some chips in China on Monday.",
            "court_ruling",
            "Chinese court",
            ["Micron"],
            D(2024, 6, 17),
            id="court-order",
        ),
        pytest.param(
            "In 2019, the Commerce Department added Huawei to the Entity List.",
            "export_control",
            "Commerce Department",
            ["Huawei"],
            D(2019, 1, 1),
            id="background-year",
        ),
        pytest.param(
            "The Justice Department charged two Huawei subsidiaries with stealing trade secrets, prosecutors said on Thursday.",
            "lawsuit",
            "Justice Department",
            ["Huawei"],
            D(2024, 6, 20),
            id="date-on-the-speech-verb",
        ),
        pytest.param(
            "Trump threatened on Friday to impose tariffs of 25% on Apple iPhones made outside the United States.",
            "statement",
            "Donald Trump",
            ["Apple"],
            D(2024, 6, 21),
            id="threat-is-a-statement",
        ),
        pytest.param(
            "The European Commission designated Apple, Meta and Microsoft as gatekeepers under the Digital Markets Act "
            "on Wednesday.",
            "regulation",
            "European Commission",
            ["Apple", "Meta", "Microsoft"],
            D(2024, 6, 19),
            id="dma-gatekeepers",
        ),
        pytest.param(
            "Japan on Tuesday banned Huawei phones from state offices, the Ministry of Internal Affairs said.",
            "ban",
            "Ministry of Internal Affairs",
            ["Huawei"],
            D(2024, 6, 18),
            id="ministry-speaking-for-its-country",
        ),
        pytest.param(
            "European Union regulators fined Meta on Tuesday over its classified ads service.",
            "sanction",
            "European Commission",
            ["Meta"],
            D(2024, 6, 18),
            id="eu-regulators-are-the-commission",
        ),
        pytest.param(
            "The Kremlin on Tuesday prohibited managers of Lockheed Martin from entering Russia.",
            "sanction",
            "Kremlin",
            ["Lockheed Martin"],
            D(2024, 6, 18),
            id="entry-ban-is-a-sanction",
        ),
    ],
)
def test_one_sentence_actions_of_other_governments(sentence, action_type, actor, targets, day):
    result = extract(sentence, D(2024, 6, 21), gazetteer_from_seed_files(), media=media_from_seed_files())
    (action,) = result.actions
    assert (action.action_type, action.actor, action.targets) == (action_type, actor, targets)
    assert action.window.start == day


def test_two_actions_in_one_sentence_keep_their_own_actors_and_dates():
    sentence = (
        "The Pentagon announced in May 2018 that it would ban the sale of Huawei and ZTE phones on military bases, "
        "after U.S. intelligence officials advised Americans in February 2018 not to use Huawei products."
    )
    result = extract(sentence, D(2024, 6, 21), gazetteer_from_seed_files(), media=media_from_seed_files())
    by_type = {a.action_type: a for a in result.actions}
    assert set(by_type) == {"ban", "statement"}
    assert (by_type["ban"].window.start, by_type["ban"].window.end) == (D(2018, 5, 1), D(2018, 5, 31))
    assert by_type["ban"].targets == ["Huawei", "ZTE"]
    assert (by_type["statement"].window.start, by_type["statement"].window.end) == (D(2018, 2, 1), D(2018, 2, 28))
    assert by_type["statement"].actor == "U.S. intelligence officials"


def test_dma_fines_keep_the_order_deadline_and_the_earlier_fine_apart():
    """The 60-day order belongs to the day's fine; the March 2024 fine is its own action; a rival is no target."""
    result = run("eu_dma_fines_apple_meta.txt", D(2025, 4, 23))
    fines = sorted(of_type(result, "sanction"), key=lambda a: a.window.start)
    assert [(f.window.start, f.window.end) for f in fines] == [(D(2024, 3, 1), D(2024, 3, 31)), (D(2025, 4, 23),) * 2]
    assert fines[0].targets == ["Apple"]
    assert set(fines[1].targets) == {"Apple", "Meta"}
    assert [d.due_on for d in fines[1].deadlines] == [D(2025, 6, 22)]
    (probe,) = of_type(result, "investigation")
    assert probe.targets == ["Google"]
    assert "Spotify" not in {t for a in result.actions for t in a.targets}


def test_business_news_keeps_dated_government_acts_and_drops_undated_background():
    """'shrugs off U.S. sanctions' is no act; 'on a trade blacklist since 2019' is one, dated 2019."""
    result = run("huawei_results_with_background.txt", D(2024, 8, 30))
    assert {a.action_type for a in result.actions} == {"export_control", "investigation"}
    listing, revocation = sorted(of_type(result, "export_control"), key=lambda a: a.window.start)
    assert (listing.window.start, listing.window.end, listing.targets) == (D(2019, 1, 1), D(2019, 12, 31), ["Huawei"])
    assert "Huawei" in revocation.targets
    assert (revocation.window.start, revocation.window.end) == (D(2024, 7, 1), D(2024, 7, 31))
    (probe,) = of_type(result, "investigation")
    assert (probe.actor, probe.targets) == ("Chinese regulators", ["Micron"])


def test_listing_on_a_blacklist_is_a_sanction_unless_the_list_controls_exports():
    """'placed on a ... blacklist' by a defence ministry is a sanction; 'added to a trade blacklist' export control."""
    gazetteer, media = gazetteer_from_seed_files(), media_from_seed_files()
    (sanction,) = extract("On Monday ZTE was placed on a Pentagon investment blacklist.", D(2024, 6, 21), gazetteer,
                          media=media).actions  # fmt: skip
    assert (sanction.action_type, sanction.targets) == ("sanction", ["ZTE"])
    (control,) = extract("On Monday ZTE was added to a U.S. trade blacklist.", D(2024, 6, 21), gazetteer,
                         media=media).actions  # fmt: skip
    assert control.action_type == "export_control"


def test_they_and_the_two_companies_stand_for_every_company_just_named():
    """A plural anaphor takes all the companies of the sentence that named them, not the nearest one."""
    text = (
        "The ministry put Lockheed Martin and Boeing on its unreliable entity list on Monday. "
        "Senior managers of the two companies are barred from entering the country."
    )
    result = extract(text, D(2024, 6, 21), gazetteer_from_seed_files(), media=media_from_seed_files())
    assert all(set(a.targets) == {"Lockheed Martin", "Boeing"} for a in result.actions)
    assert result.actions


def test_an_undated_statement_retelling_the_news_day_act_is_not_a_second_action():
    """'In a statement, the agency accused X' after an undated fine of the same day adds no action."""
    text = (
        "The Competition Bureau has fined Amazon $50 million for misleading shoppers.\n\n"
        "In a statement, the bureau accused Amazon of hiding fees from customers."
    )
    result = extract(text, D(2024, 6, 21), gazetteer_from_seed_files(), media=media_from_seed_files())
    assert [a.action_type for a in result.actions] == ["sanction"]


def test_a_regulator_described_not_named_is_the_body_the_article_names():
    """'Britain's competition watchdog' is the Competition and Markets Authority named later."""
    text = (
        "Britain's competition watchdog on Tuesday moved to block Lenovo's purchase of Xiaomi. "
        "The Competition and Markets Authority said the deal would harm shoppers."
    )
    (action,) = extract(text, D(2024, 6, 21), gazetteer_from_seed_files(), media=media_from_seed_files()).actions
    assert (action.action_type, action.actor) == ("ban", "Competition and Markets Authority")
    assert action.targets == ["Lenovo", "Xiaomi"]


def test_a_licence_extension_is_an_export_control_of_its_own():
    """Extending a general licence after an Entity List listing is a second export-control act."""
    text = (
        "On Monday the Commerce Department added ZTE to the Entity List. "
        "The Bureau of Industry and Security also said on Monday it will extend a general license for ZTE "
        "customers by 90 days."
    )
    result = extract(text, D(2024, 6, 21), gazetteer_from_seed_files(), media=media_from_seed_files())
    assert [a.action_type for a in result.actions] == ["export_control", "export_control"]
    assert [d.due_on for d in result.actions[1].deadlines] == [D(2024, 9, 15)]


def test_obliging_banks_to_cut_a_company_off_is_a_measure_with_its_own_deadline():
    text = (
        "The Treasury Department sanctioned Gazprombank on Monday. "
        "OFAC is requiring American lenders to close all Gazprombank accounts within 45 days."
    )
    result = extract(text, D(2024, 6, 21), gazetteer_from_seed_files(), media=media_from_seed_files())
    assert [a.action_type for a in result.actions] == ["sanction", "sanction"]
    assert result.actions[0].deadlines == []
    assert [d.due_on for d in result.actions[1].deadlines] == [D(2024, 8, 1)]


def test_a_law_named_inside_a_ruling_takes_effect_as_an_act_of_its_own():
    """'The ban takes effect on <date>' after a court upheld 'a law banning X' dates the law."""
    text = (
        "A federal appeals court on Monday upheld a law banning Temu from government phones. "
        "The ban takes effect on July 1, officials said."
    )
    result = extract(text, D(2024, 6, 21), gazetteer_from_seed_files(), media=media_from_seed_files())
    by_type = {a.action_type: a for a in result.actions}
    assert set(by_type) == {"court_ruling", "legislation"}
    assert by_type["court_ruling"].deadlines == []
    law = by_type["legislation"]
    assert (law.window.start, law.targets) == (D(2024, 7, 1), ["Temu"])
    assert [d.due_on for d in law.deadlines] == [D(2024, 7, 1)]


def test_an_act_only_judged_necessary_is_not_taken():
    text = "Lawmakers said on Monday that a divestiture of Temu is necessary."
    assert extract(text, D(2024, 6, 21), gazetteer_from_seed_files(), media=media_from_seed_files()).actions == []


def test_sentences_going_on_with_a_story_keep_the_day_it_opened_with():
    """'On <day>, X ... . X also ... . In addition, ...' all happened on that day."""
    text = (
        "On March 4, 2024, OFAC designated Sovcomflot for evading the price cap. "
        "OFAC also designated Unisoc for supplying drones. "
        "In addition, the Commerce Department added Xiaomi to the Entity List. "
    )
    result = extract(text, D(2024, 3, 20), gazetteer_from_seed_files(), media=media_from_seed_files())
    assert [(a.window.start, a.window.end) for a in result.actions] == [(D(2024, 3, 4), D(2024, 3, 4))] * 3


def test_a_later_undated_sentence_without_a_continuation_keeps_a_vague_window():
    text = "On March 4, 2024, OFAC designated Sovcomflot. The Commerce Department added Xiaomi to the Entity List."
    result = extract(text, D(2024, 3, 20), gazetteer_from_seed_files(), media=media_from_seed_files())
    assert (result.actions[1].window.start, result.actions[1].window.end) == (D(2024, 3, 4), D(2024, 3, 20))


def test_the_ministry_a_country_speaks_through_is_the_actor_once_named():
    text = (
        "The Ministry of Electronics and Information Technology issued new rules on Friday. "
        "India on Monday banned 40 apps including Temu, the ministry said."
    )
    result = extract(text, D(2024, 6, 21), gazetteer_from_seed_files(), media=media_from_seed_files())
    assert [(a.action_type, a.actor) for a in result.actions] == [
        ("ban", "Ministry of Electronics and Information Technology")
    ]
    alone = extract(
        "India on Monday banned 40 apps including Temu, the ministry said.",
        D(2024, 6, 21), gazetteer_from_seed_files(), media=media_from_seed_files(),
    )  # fmt: skip
    assert [a.actor for a in alone.actions] == ["India"]


def test_a_next_sentence_about_the_same_licence_sets_its_deadline():
    """'This license will ... last 60 days' after the licence was extended dates its end."""
    text = (
        "The Bureau of Industry and Security said on Monday it will extend a general license for ZTE customers. "
        "This license will be effective on June 17, 2024 and last an additional 60 days."
    )
    result = extract(text, D(2024, 6, 21), gazetteer_from_seed_files(), media=media_from_seed_files())
    (action,) = result.actions
    assert action.action_type == "export_control"
    assert [d.due_on for d in action.deadlines] == [D(2024, 8, 16)]


@pytest.mark.parametrize("phrase", ["on Friday", "last week", "in March"])
def test_a_publication_date_at_the_calendar_edge_does_not_break_date_reading(phrase):
    """Counting back from 1 January of year 1 leaves the calendar: the phrase is dropped, not fatal."""
    text = f"{phrase} The Commerce Department banned Huawei."
    result = extract(text, D(1, 1, 1), gazetteer_from_seed_files(), media=media_from_seed_files())
    assert all(a.window.start <= D(1, 1, 1) for a in result.actions)
