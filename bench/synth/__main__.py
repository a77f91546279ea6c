"""``python -m bench.synth --out DIR --per-type N --seed S [--profile clean|real] [--types a,b]
[--contact PATH] [--processes 2]``: write a synthetic labelled corpus (see bench/synth/README.md)."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from bench.synth.augment import PROFILES
from bench.synth.base import RENDERERS
from bench.synth.contact import write_contact_sheet
from bench.synth.corpus import generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synth", description=__doc__)
    parser.add_argument("--out", type=Path, help="corpus folder (DIR/<card-type>/<name>.jpg + .json)")
    parser.add_argument("--per-type", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", choices=PROFILES, default="real")
    parser.add_argument("--types", help="comma-separated card types (default: all with a renderer)")
    parser.add_argument("--contact", type=Path, help="also write a contact sheet PNG here")
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    types = [t.strip() for t in args.types.split(",") if t.strip()] if args.types else None
    if args.out is None and args.contact is None:
        parser.error("give --out and/or --contact")
    unknown = sorted(set(types or ()) - set(RENDERERS))
    if unknown:
        parser.error(f"unknown card types {unknown}; known: {', '.join(RENDERERS)}")
    failed = 0
    if args.out is not None:
        started = time.perf_counter()
        errors = generate(args.out, args.per_type, args.seed, args.profile, types, args.processes)
        for card, errs in errors.items():
            print(f"{card:24s} {args.per_type - len(errs):5d} written  {len(errs):3d} failed")
            for err in errs[:3]:
                print(f"    {err}")
            failed += len(errs)
        print(f"{sum(args.per_type - len(e) for e in errors.values())} images in "
              f"{time.perf_counter() - started:.1f} s -> {args.out}")
    if args.contact is not None:
        print(f"contact sheet -> {write_contact_sheet(args.contact, args.seed, types)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
