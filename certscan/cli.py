"""``certscan`` command line: serve, keys, scan, worker. Each subcommand lives with the code it drives."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

# subcommand → (module providing ``add_arguments(parser)`` and ``run(args) -> int``, help)
COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("certscan.api.serve_cmd", "run the HTTP service (embedded SQLite store and worker pool)"),
    "keys": ("certscan.api.keys_cmd", "manage accounts: 'keys create [--uid UID]'"),
    "scan": ("certscan.scan_cmd", "read card images from files, print one JSON result per file"),
    "worker": ("certscan.queue.worker_cmd", "run a Celery worker (scale-out mode)"),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="certscan", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    runners: dict[str, Callable[[argparse.Namespace], int]] = {}
    wanted = (argv if argv is not None else sys.argv[1:])[:1]
    for name, (module_name, help_text) in COMMANDS.items():
        sub_parser = sub.add_parser(name, help=help_text)
        if wanted and wanted[0] != name:
            continue  # import only the command being run (keeps `certscan keys` free of OCR imports)
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        module.add_arguments(sub_parser)
        runners[name] = module.run
    args = parser.parse_args(argv)
    runner = runners.get(args.command)
    if runner is None:
        parser.error(f"'{args.command}' is not available in this installation")
    return runner(args)


if __name__ == "__main__":
    raise SystemExit(main())
