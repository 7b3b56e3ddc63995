"""The benchmark scripts run end to end at tiny sizes and print their figures.

Only that they work and report is checked here: speed is the benchmarks' business,
never a test's (no timing assertions).
"""

import datetime as dt
import json
import re

import pytest

from benchmarks import extraction_throughput, timeline_at_scale
from benchmarks.news_corpus import build_corpus, stored_articles


def test_corpus_is_reproducible_and_mixes_real_and_generated_articles():
    corpus = build_corpus(40, seed=3)
    assert corpus == build_corpus(40, seed=3)
    assert len(corpus) == 40
    stored_titles = {article.title for article in stored_articles()}
    assert any(article.title not in stored_titles for article in corpus)
    assert all(article.words > 50 and isinstance(article.published, dt.date) for article in corpus)


def test_varied_copies_swap_names_and_move_years():
    """A copy of a real article is not the article itself: names and years change."""
    originals = {article.text for article in stored_articles()}
    corpus = build_corpus(60, seed=5)
    assert sum(article.text in originals for article in corpus) < 5


@pytest.mark.slow
def test_extraction_benchmark_prints_rates_ratio_and_memory(tmp_path, capsys):
    figures = extraction_throughput.main(
        ["--articles", "10", "--warmup", "2", "--rounds", "1", "--skip-commands", "--results-dir", str(tmp_path)]
    )
    out = capsys.readouterr().out
    assert re.search(r"spaCy nlp\.pipe .*: \d+ words/s", out)
    assert re.search(r"our pipeline extract_many .*: \d+ words/s", out)
    assert re.search(r"ratio \(pipeline time / spaCy time\): \d+\.\d\d", out)
    assert re.search(r"peak RSS while extracting the corpus.*worker batch \d+.*: \d+ MB", out)
    saved = json.loads((tmp_path / "extraction_throughput.json").read_text())
    assert saved["articles"] == 10 and saved["ratio"] == figures["ratio"] > 0
    assert saved["memory"]["worker batch"]["peak_rss_mb"] > 0
    assert saved["memory"]["benchmark batch"]["batch_size"] == saved["batch_size"]


@pytest.mark.slow
def test_extraction_benchmark_times_the_two_commands(tmp_path, capsys):
    figures = extraction_throughput.main(
        ["--articles", "3", "--warmup", "1", "--rounds", "1", "--command-articles", "3", "--results-dir", str(tmp_path)]
    )
    out = capsys.readouterr().out
    assert re.search(r"manage\.py extract, 3 files: -?\d+\.\d+ s/article", out)
    assert re.search(r"manage\.py import_articles, 3 files: -?\d+\.\d+ s/article.*peak RSS \d+ MB", out)
    assert set(figures["commands"]) == {"extract", "import_articles"}


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore:No directory at")  # whitenoise, when collectstatic has not run
def test_timeline_benchmark_prints_times_and_query_counts(tmp_path, capsys):
    """Runs in the test database (the script leaves an already configured Django alone)."""
    figures = timeline_at_scale.main(
        ["--actions", "300", "--articles", "60", "--companies", "40", "--requests", "2", "--results-dir", str(tmp_path)]
    )
    out = capsys.readouterr().out
    assert "generated 300 actions" in out
    for scenario in figures["scenarios"]:
        assert re.search(
            re.escape(scenario) + r"\s+fragment median\s+\d+\.\d ms\s+p95\s+\d+\.\d ms\s+queries\s+\d+", out
        )
        assert re.search(re.escape(scenario) + r"\s+page\s+median", out)
    assert len(figures["scenarios"]) == 4
    for name, doubled in figures["double_page_size"].items():
        assert doubled["queries"] == figures["scenarios"][name]["fragment"]["queries"]
    vendor = figures["vendor"]
    assert (tmp_path / f"timeline_at_scale_{vendor}.json").exists()
    assert (tmp_path / f"query_plans_{vendor}.txt").read_text().startswith("## no filter")
