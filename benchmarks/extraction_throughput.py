"""Extraction throughput: our whole pipeline against spaCy's own `nlp.pipe`, same texts, same model.

    .venv/bin/python benchmarks/extraction_throughput.py [--articles 500] [--rounds 3] [--profile]

Prints words per second for `extract_many` (cleaning, entities, dates, actions,
deadlines) and for plain `spacy.load(MODEL).pipe` at the same batch size, both warmed
up and timed in alternating order, best of `--rounds`; their ratio (goal <= 1.3); the
peak RSS of a child process that loads the model and extracts the corpus (goal <= 600 MB);
and the cost per article of `manage.py extract` with many paths against `manage.py
import_articles` over the same files. Figures go to benchmarks/results/extraction_throughput.json.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.news_corpus import CorpusArticle, build_corpus  # noqa: E402

RESULTS_DIR = Path(__file__).resolve().parent / "results"
RATIO_GOAL = 1.3
RSS_GOAL_MB = 600


def main(argv: list[str] | None = None) -> dict:
    args = _parser().parse_args(argv)
    if args.memory_child:
        return _memory_child(args)
    corpus = build_corpus(args.articles, seed=args.seed)
    words = sum(article.words for article in corpus)
    print(f"corpus: {len(corpus)} articles, {words} words ({words // max(len(corpus), 1)} per article)")
    figures: dict = {"articles": len(corpus), "words": words, "machine": _machine()}
    figures.update(_throughput(corpus, words, args))
    figures["memory"] = {}
    for label, batch_size in (("benchmark batch", figures["batch_size"]), ("worker batch", _worker_batch_size())):
        memory = figures["memory"][label] = {"batch_size": batch_size, **_peak_rss_of_child(args, batch_size)}
        print(
            f"peak RSS while extracting the corpus, {label} {batch_size} (child process): "
            f"{memory['peak_rss_mb']:.0f} MB (model loaded: {memory['rss_after_load_mb']:.0f} MB; "
            f"goal <= {RSS_GOAL_MB} MB: {_verdict(memory['peak_rss_mb'] <= RSS_GOAL_MB)})"
        )
    if not args.skip_commands:
        figures["commands"] = _command_costs(corpus[: args.command_articles])
    _save(figures, args.results_dir / "extraction_throughput.json")
    return figures


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3, help="Timed passes per side; the best counts.")
    parser.add_argument("--batch-size", type=int, default=0, help="Default: extract_many's own default.")
    parser.add_argument("--warmup", type=int, default=20, help="Articles each side runs before timing.")
    parser.add_argument("--command-articles", type=int, default=40, help="Files for the manage.py comparison.")
    parser.add_argument("--skip-commands", action="store_true", help="Leave out the manage.py comparison.")
    parser.add_argument("--profile", action="store_true", help="Profile one pipeline pass with pyinstrument.")
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    return parser


def _throughput(corpus: list[CorpusArticle], words: int, args) -> dict:
    import spacy

    from timeline.extraction import extract_many
    from timeline.extraction.nlp import MODEL_NAME
    from timeline.extraction.seeds import gazetteer_from_seed_files, media_from_seed_files

    gazetteer, media = gazetteer_from_seed_files(), media_from_seed_files()
    batch_size = args.batch_size or inspect.signature(extract_many).parameters["batch_size"].default
    plain = spacy.load(MODEL_NAME)
    items = [(article.text, article.published) for article in corpus]
    texts = [article.text for article in corpus]
    found = []

    def ours(chosen=items) -> None:
        found.append(
            sum(len(result.actions) for result in extract_many(chosen, gazetteer, media=media, batch_size=batch_size))
        )

    def theirs(chosen=texts) -> None:
        for _doc in plain.pipe(chosen, batch_size=batch_size):
            pass

    ours(items[: args.warmup])
    theirs(texts[: args.warmup])
    sides: dict[str, Callable[[], None]] = {"pipeline": ours, "spacy": theirs}
    seconds: dict[str, list[float]] = {"pipeline": [], "spacy": []}
    cpu_seconds: dict[str, list[float]] = {"pipeline": [], "spacy": []}
    for round_number in range(args.rounds):
        for side in sorted(sides, reverse=round_number % 2 == 1):  # alternate who goes first
            started, cpu_started = time.perf_counter(), time.process_time()
            sides[side]()
            seconds[side].append(time.perf_counter() - started)
            cpu_seconds[side].append(time.process_time() - cpu_started)
    best = {side: min(times) for side, times in seconds.items()}
    rate = {side: words / best[side] for side in best}
    ratio = best["pipeline"] / best["spacy"]
    # CPU time as a cross-check: on a busy machine the wall clock also counts other processes' turns.
    cpu_ratio = min(cpu_seconds["pipeline"]) / min(cpu_seconds["spacy"])
    for side, label in (
        ("spacy", f"spaCy nlp.pipe ({MODEL_NAME}, batch {batch_size})"),
        ("pipeline", f"our pipeline extract_many (batch {batch_size})"),
    ):
        print(
            f"{label}: {rate[side]:.0f} words/s (best of {args.rounds}; "
            f"{words / min(cpu_seconds[side]):.0f} words per CPU second)"
        )
    print(
        f"ratio (pipeline time / spaCy time): {ratio:.2f} (CPU time: {cpu_ratio:.2f}; "
        f"goal <= {RATIO_GOAL}: {_verdict(ratio <= RATIO_GOAL)})"
    )
    print(f"actions found per pass: {found[-1]}")
    if args.profile:
        _profile(ours, args.results_dir / "extraction_profile.txt")
    return {
        "batch_size": batch_size,
        "rounds": args.rounds,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "words_per_second": {side: round(value) for side, value in rate.items()},
        "ratio": round(ratio, 3),
        "cpu_ratio": round(cpu_ratio, 3),
        "actions_found": found[-1],
    }


def _profile(run: Callable[[], None], destination: Path) -> None:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001)
    with profiler:
        run()
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_text(profiler.output_text(unicode=True, show_all=False), encoding="utf-8")
    print(f"profile written to {destination}")


def _memory_child(args) -> dict:
    """Runs in its own process: load the pipeline, extract the corpus, report the peak RSS."""
    from timeline.extraction import extract_many
    from timeline.extraction.nlp import pipeline_for
    from timeline.extraction.seeds import gazetteer_from_seed_files, media_from_seed_files

    corpus = build_corpus(args.articles, seed=args.seed)
    gazetteer, media = gazetteer_from_seed_files(), media_from_seed_files()
    pipeline_for(gazetteer, media)
    after_load = _peak_rss_mb()
    items = ((article.text, article.published) for article in corpus)
    kwargs = {"batch_size": args.batch_size} if args.batch_size else {}
    for _result in extract_many(items, gazetteer, media=media, **kwargs):
        pass
    report = {"peak_rss_mb": round(_peak_rss_mb(), 1), "rss_after_load_mb": round(after_load, 1)}
    print(json.dumps(report))
    return report


def _peak_rss_mb() -> float:
    """This process's own high-water RSS.

    Linux's ru_maxrss also remembers the parent's RSS at fork time, so a child of a
    big parent would report the parent; /proc/self/status VmHWM counts only this image.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux, bytes on macOS


def _peak_rss_of_child(args, batch_size: int) -> dict:
    command = [sys.executable, __file__, "--memory-child", "--articles", str(args.articles), "--seed", str(args.seed)]
    command += ["--batch-size", str(batch_size)]
    finished = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(finished.stdout.strip().splitlines()[-1])


def _worker_batch_size() -> int:
    """The batch size the background worker passes to extract_many."""
    from django.conf import settings

    if not settings.configured:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
        django.setup()
    from timeline.tasks import PIPE_BATCH_SIZE

    return PIPE_BATCH_SIZE


def _command_costs(corpus: list[CorpusArticle]) -> dict:
    """Seconds per article of `manage.py extract` (many paths) and `manage.py import_articles`.

    Each runs twice, over one file and over all of them, so the difference is the
    cost per article without the start-up and model load both pay once.
    """
    workdir = Path(tempfile.mkdtemp(prefix="extraction-bench-"))
    try:
        paths = []
        for index, article in enumerate(corpus):
            path = workdir / "articles" / f"{index:04d}.txt"
            path.parent.mkdir(exist_ok=True)
            path.write_text(f"{article.title}\n\n{article.text}", encoding="utf-8")
            paths.append(path)
        published = corpus[0].published.isoformat()
        template = workdir / "template.sqlite3"
        _manage(["migrate", "--no-input"], template)
        costs = {}
        for name, arguments in {
            "extract": lambda chosen: ["extract", *map(str, chosen), "--published", published, "--json"],
            "import_articles": lambda chosen: _import_arguments(chosen, published),
        }.items():
            runs = []
            for chosen in (paths[:1], paths):
                database = workdir / f"{name}-{len(chosen)}.sqlite3"
                shutil.copy(template, database)
                runs.append(_manage(arguments(chosen), database))
            (one_seconds, _), (seconds, peak_mb) = runs
            per_article = (seconds - one_seconds) / max(len(paths) - 1, 1)
            costs[name] = {
                "files": len(paths),
                "total_seconds": round(seconds, 2),
                "one_file_seconds": round(one_seconds, 2),
                "seconds_per_article": round(per_article, 4),
                "peak_rss_mb": round(peak_mb),
            }
            print(
                f"manage.py {name}, {len(paths)} files: {per_article:.3f} s/article beyond start-up "
                f"(total {seconds:.1f} s, one file {one_seconds:.1f} s; peak RSS {peak_mb:.0f} MB)"
            )
        return costs
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _import_arguments(paths: list[Path], published: str) -> list[str]:
    return ["import_articles", *map(str, paths), "--published", published]


def _manage(arguments: list[str], database: Path) -> tuple[float, float]:
    """Run a management command on this database: its seconds and the peak RSS (MB) of its process."""
    import psutil

    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_DEBUG": "1",
        "DJANGO_TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
    }
    started, peak = time.perf_counter(), 0
    with tempfile.TemporaryFile() as errors:
        process = psutil.Popen(
            [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors
        )
        while process.poll() is None:
            try:
                peak = max(peak, process.memory_info().rss)
            except psutil.NoSuchProcess:
                break
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        if process.returncode:
            errors.seek(0)
            raise RuntimeError(f"manage.py {arguments[0]} failed:\n{errors.read().decode()[-3000:]}")
    return seconds, peak / 2**20


def _machine() -> dict:
    import spacy

    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "platform": platform.platform(),
        "when": time.strftime("%Y-%m-%d %H:%M"),
    }


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def _save(figures: dict, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"figures written to {destination}")


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)  # figures appear as they are measured, even when piped
    main()
