"""Signature nonces in the database, so every server process sharing the store refuses a replay."""

from __future__ import annotations

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError

from certscan.store.schema import nonces


class DbNonceStore:
    """A ``NonceStore`` (see ``certscan.api.auth.common``) backed by the ``certscan_nonces`` table."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add_if_new(self, nonce: str, access_key_id: str, now: float, ttl: float) -> bool:
        key = (nonces.c.access_key_id == access_key_id) & (nonces.c.nonce == nonce)
        with self._engine.begin() as conn:
            row = conn.execute(select(nonces.c.expires_at).where(key)).first()
            if row is not None:
                if row.expires_at > now:
                    return False
                # Seen long ago (outside any request's clock window) and not purged yet: reuse is fine.
                conn.execute(update(nonces).where(key).values(expires_at=now + ttl))
                return True
            try:
                conn.execute(nonces.insert().values(
                    access_key_id=access_key_id, nonce=nonce, expires_at=now + ttl
                ))
            except IntegrityError:
                return False  # another process recorded the same nonce in between: a replay
        return True

    def purge(self, now: float) -> int:
        with self._engine.begin() as conn:
            result = conn.execute(delete(nonces).where(nonces.c.expires_at <= now))
        return int(result.rowcount or 0)
