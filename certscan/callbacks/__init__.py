"""Callbacks: signed delivery of finished tasks' results to the caller's URL.

- :func:`checksum` / :func:`verify`: the ``checksum`` field, and the helper receivers use to check it;
- :mod:`certscan.callbacks.payload`: the ``content`` field (the same JSON a poll returns for the task);
- :mod:`certscan.callbacks.dispatcher`: the durable delivery loop with retries and back-off.
"""

from certscan.callbacks.checksum import checksum, verify

__all__ = ["checksum", "verify"]
