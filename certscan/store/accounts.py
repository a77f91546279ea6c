"""The identity side of the store: accounts and signature nonces.

An AccessKeyId/secret pair belongs to a UID (the account); one UID may hold several keys. Nonces live in
the database so every server process sharing the store refuses a replayed request.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError

from certscan.store.schema import accounts, nonces

_KEY_ALPHABET = string.ascii_letters + string.digits


@dataclass(frozen=True)
class Account:
    access_key_id: str
    access_key_secret: str
    uid: str
    qps: int | None
    enabled: bool

    def __repr__(self) -> str:  # never let a secret reach a log line through a repr
        return f"Account(access_key_id={self.access_key_id!r}, uid={self.uid!r}, enabled={self.enabled})"


def _random_text(length: int) -> str:
    return "".join(secrets.choice(_KEY_ALPHABET) for _ in range(length))


class AccountRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def create(self, now: float, uid: str | None = None, qps: int | None = None) -> Account:
        """Mint a key pair (24-char id, 30-char secret: the vendor's shapes) for ``uid`` (new if None)."""
        account = Account(
            access_key_id="LTAI" + _random_text(20),
            access_key_secret=_random_text(30),
            uid=uid or str(10**15 + secrets.randbelow(9 * 10**15)),  # 16 digits, like the vendor's UIDs
            qps=qps,
            enabled=True,
        )
        with self._engine.begin() as conn:
            conn.execute(accounts.insert().values(
                access_key_id=account.access_key_id, access_key_secret=account.access_key_secret,
                uid=account.uid, qps=qps, enabled=True, created_at=now,
            ))
        return account

    def get(self, access_key_id: str) -> Account | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(accounts).where(accounts.c.access_key_id == access_key_id)).first()
        if row is None:
            return None
        m = row._mapping
        return Account(m["access_key_id"], m["access_key_secret"], m["uid"], m["qps"], bool(m["enabled"]))

    def secret_for(self, access_key_id: str) -> str | None:
        """The secret of an enabled key, or None (the signature check then answers "key not found")."""
        account = self.get(access_key_id)
        return account.access_key_secret if account is not None else None

    def set_enabled(self, access_key_id: str, enabled: bool) -> bool:
        with self._engine.begin() as conn:
            result = conn.execute(
                update(accounts).where(accounts.c.access_key_id == access_key_id).values(enabled=enabled)
            )
        return bool(result.rowcount)


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
