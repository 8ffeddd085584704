"""Copied report text (年报文字雷同) over an office's reports: MinHash/LSH against two baselines in the same run.

    python bench/bench_copied.py [--reports N]

N reports (default 3,000: 600 units × 5 years) get sections 一、五、六 made of the seed reports'
own sentences (tests/fixtures/seeds), shuffled and mixed with random characters, so that
distinct reports share the official vocabulary as real ones do.  8 % of the reports repeat
their unit's previous year with a few edits, 2 % copy another unit's.  Measured:

* baseline "fold+shingle": folding the texts and cutting their 5-character pieces, the
  least any detector must do;
* baseline "MinHash build": that plus a datasketch MinHash signature per text, without the
  LSH index (what comparing every pair by signature would start from);
* ``similar.near_duplicates``: the detection the supervision page runs (signatures, LSH
  candidates, exact Jaccard of each candidate).

It prints seconds and report pairs covered per second (N·(N−1)/2 over the seconds), and
fails when a planted copy is missed.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from gongkai.corpus import similar  # noqa: E402
from gongkai.report.read import read_report  # noqa: E402

SEEDS = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))
YEARS = 5


def seed_sentences() -> list[str]:
    pool = []
    for path in SEEDS:
        report = read_report(path)
        for key in similar.SECTIONS:
            pool += similar.sentences(report.sections.get(key))
    return pool


def edited(text: str, rng: random.Random) -> str:
    return "".join("某" if rng.random() < 0.01 else c for c in text.replace("2021年", "2022年"))


def generated_rows(count: int, rng: random.Random) -> tuple[list[dict], set[tuple[str, str]]]:
    """The reports' rows for ``similar.sections_of`` and the planted copies as (report id, section key)."""
    pool = seed_sentences()

    def section(sentences: int) -> str:
        chosen = rng.sample(pool, sentences)
        # A unit's own words between the shared phrases: random characters, so reports differ as real ones do.
        return "".join(s + "".join(chr(0x4E00 + rng.randrange(3000)) for _ in range(rng.randrange(40, 120)))
                       for s in chosen)

    rows, planted = [], set()
    for n in range(count):
        unit, year = n // YEARS, 2021 + n % YEARS
        row = {"report_id": f"r{n:06d}", "year": year, "agency_key": f"u{unit:04d}",
               "overview": section(4), "problems": section(2), "other": rng.choice(("无。", section(1)))}
        draw = rng.random()
        if n % YEARS and draw < 0.08:  # repeats the unit's previous year
            row["problems"] = edited(rows[n - 1]["problems"], rng)
            planted.add((row["report_id"], "problems"))
        elif n > YEARS and draw < 0.10:  # copies another unit's report
            source = rows[rng.randrange((unit) * YEARS)]
            row["overview"] = edited(source["overview"], rng)
            planted.add((row["report_id"], "overview"))
        rows.append(row)
    return rows, planted


def timed(function) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=3000)
    args = parser.parse_args(argv)
    rows, planted = generated_rows(args.reports, random.Random(11))
    import datasketch  # noqa: F401  (its import, scipy's, is no part of any timing)
    from datasketch import MinHash

    def fold_and_shingle():
        return [similar.shingles(section.text) for section in similar.sections_of(rows)]

    def minhash_build():
        pieces = fold_and_shingle()
        return list(MinHash.bulk(([p.encode() for p in s] for s in pieces), num_perm=similar.NUM_PERM,
                                 hashfunc=zlib.crc32))

    base_seconds, pieces = timed(fold_and_shingle)
    build_seconds, _ = timed(minhash_build)
    seconds, matches = timed(lambda: similar.near_duplicates(similar.sections_of(rows)))
    # A copy is found when its section has a match: the best one may be a later copy of the same source.
    found = {(m.section.report_id, m.section.key) for m in matches}
    missed = planted - found
    pairs = args.reports * (args.reports - 1) // 2
    print(f"{args.reports} reports, {len(pieces)} sections of at least {similar.MIN_CHARS} characters, "
          f"{pairs:,} report pairs")
    print(f"{'':<34} {'seconds':>8} {'pairs/s':>14} {'vs fold+shingle':>16}")
    for name, value in (("baseline: fold+shingle", base_seconds), ("baseline: MinHash build, no LSH", build_seconds),
                        ("near_duplicates (MinHash LSH)", seconds)):
        print(f"{name:<34} {value:>8.2f} {pairs / value:>14,.0f} {value / base_seconds:>15.1f}x")
    kinds = {kind: sum(m.kind == kind for m in matches) for kind in ("previous_year", "other_agency")}
    print(f"found {kinds['previous_year']} previous-year and {kinds['other_agency']} other-unit matches; "
          f"{len(planted) - len(missed)} of {len(planted)} planted copies")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
