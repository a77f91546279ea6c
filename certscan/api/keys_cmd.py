"""``certscan keys create [--uid UID] [--qps N]``: mint an access key; ``keys disable|enable KEY_ID``.

``create`` prints one JSON object, ``{"accessKeyId": ..., "accessKeySecret": ..., "uid": ...}``: the only
place the secret is ever shown.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from certscan.settings import get_settings
from certscan.store import Store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help="the server's data dir (default: CERTSCAN_DATA_DIR or .data)")
    actions = parser.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", parents=[common],
                                help="mint a key pair (for a new account, or for --uid)")
    create.add_argument("--uid", help="the account (UID) the key belongs to; a new one if omitted")
    create.add_argument("--qps", type=int, help="per-operation QPS limit of this key's account calls")
    for name, text in (("disable", "refuse this key from now on (596)"), ("enable", "accept it again")):
        action = actions.add_parser(name, parents=[common], help=text)
        action.add_argument("access_key_id")


def run(args: argparse.Namespace) -> int:
    if args.data_dir:
        os.environ["CERTSCAN_DATA_DIR"] = args.data_dir
        get_settings.cache_clear()
    store = Store.from_settings(get_settings())
    try:
        if args.action == "create":
            account = store.accounts.create(time.time(), uid=args.uid, qps=args.qps)
            print(json.dumps({"accessKeyId": account.access_key_id,
                              "accessKeySecret": account.access_key_secret, "uid": account.uid}))
            return 0
        if not store.accounts.set_enabled(args.access_key_id, args.action == "enable"):
            print(f"no such access key: {args.access_key_id}", file=sys.stderr)
            return 1
        print(json.dumps({"accessKeyId": args.access_key_id, "enabled": args.action == "enable"}))
        return 0
    finally:
        store.close()
