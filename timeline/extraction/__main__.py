"""Debug CLI: python -m timeline.extraction PATH [PATH...] --published YYYY-MM-DD [--json]

Reads each file as one article, with the gazetteer and media from timeline/seeds/*.json.
With --json it prints {"actions": [...]} for one path and one such object per line (with
its "path") for several; without, a readable list.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from .pipeline import EXTRACTOR_VERSION, extract_many
from .seeds import gazetteer_from_seed_files, media_from_seed_files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m timeline.extraction", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path, help="text files, one article each")
    parser.add_argument("--published", required=True, type=dt.date.fromisoformat, help="YYYY-MM-DD")
    parser.add_argument("--json", action="store_true", help="print the JSON contract")
    args = parser.parse_args(argv)
    items = [(path.read_text(encoding="utf-8"), args.published) for path in args.paths]
    results = extract_many(items, gazetteer_from_seed_files(), media=media_from_seed_files())
    for path, result in zip(args.paths, results, strict=True):
        payload = {"extractor_version": EXTRACTOR_VERSION, "actions": [a.as_json() for a in result.actions]}
        if args.json:
            if len(args.paths) > 1:
                payload = {"path": str(path), **payload}
            print(json.dumps(payload, ensure_ascii=False, indent=None if len(args.paths) > 1 else 2))
            continue
        print(f"== {path} ({len(result.actions)} actions)")
        for action in result.actions:
            print(f"- [{action.action_type}] {action.summary}")
            print(
                f"    {action.window.start}..{action.window.end} ({action.window.precision}) conf {action.confidence:.2f}"
            )
            print(f"    evidence: {action.evidence[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
