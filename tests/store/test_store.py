from __future__ import annotations

import threading

from certscan.store import NewTask, Store


def _task(task_id: str, uid: str = "u1", priority: int = 0, callback: str | None = None) -> NewTask:
    return NewTask(task_id=task_id, uid=uid, request_id="r1", url="http://127.0.0.1/x.png",
                   card="id-card-front", data_id=f"d-{task_id}", biz_type="default",
                   extras={"card": "id-card-front"}, callback=callback,
                   seed="s1" if callback else None, crypt_type="SHA256" if callback else None,
                   priority=priority)


def test_add_and_get_only_own_tasks(store: Store) -> None:
    store.tasks.add([_task("a"), _task("b", uid="u2")], now=100.0)
    mine = store.tasks.get_many(["a", "b", "zzz"], uid="u1")
    assert set(mine) == {"a"}
    row = mine["a"]
    assert (row.status, row.card, row.biz_type, row.data_id) == ("queued", "id-card-front", "default", "d-a")
    assert row.extras == {"card": "id-card-front"}


def test_claim_orders_by_priority_then_age_and_leases(store: Store) -> None:
    store.tasks.add([_task("old")], now=100.0)
    store.tasks.add([_task("new")], now=101.0)
    store.tasks.add([_task("sync", priority=1)], now=102.0)
    claimed = store.tasks.claim(2, owner="w1", now=103.0, lease_seconds=10, created_after=0)
    assert [t.task_id for t in claimed] == ["sync", "old"]
    assert all(t.status == "running" and t.attempts == 1 for t in claimed)
    # Leased tasks are not handed out again while the lease holds ...
    assert [t.task_id for t in store.tasks.claim(5, "w2", 104.0, 10, 0)] == ["new"]
    assert store.tasks.claim(5, "w2", 105.0, 10, 0) == []
    # ... a renewed lease holds longer, and a lapsed one is taken over (its server died).
    store.tasks.renew_leases(["sync"], "w1", until=200.0)
    taken = store.tasks.claim(5, "w2", 150.0, 10, 0)
    assert sorted(t.task_id for t in taken) == ["new", "old"]
    assert {t.task_id: t.attempts for t in taken}["old"] == 2


def test_claim_skips_tasks_past_retention(store: Store) -> None:
    store.tasks.add([_task("ancient")], now=10.0)
    store.tasks.add([_task("fresh")], now=500.0)
    assert [t.task_id for t in store.tasks.claim(5, "w", 600.0, 10, created_after=100.0)] == ["fresh"]


def test_requeue_running_after_restart(store: Store) -> None:
    store.tasks.add([_task("a"), _task("b")], now=1.0)
    store.tasks.claim(5, "w", 2.0, 1000, 0)
    assert store.tasks.requeue_running() == 2
    assert {t.task_id for t in store.tasks.claim(5, "w", 3.0, 1000, 0)} == {"a", "b"}


def test_finish_records_outcome_and_queues_callback(store: Store) -> None:
    store.tasks.add([_task("ok", callback="http://127.0.0.1:9/cb"), _task("bad")], now=1.0)
    element = {"scene": "ocr", "idCardInfo": {"name": "张三"}}
    done = store.tasks.finish("ok", 200, "OK", element, now=2.0)
    failed = store.tasks.finish("bad", 586, "no parser", None, now=2.0)
    assert done is not None and done.status == "done" and done.result == element
    assert failed is not None and (failed.status, failed.code, failed.msg) == ("failed", 586, "no parser")
    assert store.deliveries.get("bad") is None
    delivery = store.deliveries.get("ok")
    assert delivery is not None and delivery.status == "pending" and delivery.attempts == 0
    assert store.tasks.counts() == {("done", "id-card-front"): 1, ("failed", "id-card-front"): 1}


def test_deliveries_claim_retry_and_give_up(store: Store) -> None:
    store.tasks.add([_task("t", callback="http://127.0.0.1:9/cb")], now=1.0)
    store.tasks.finish("t", 200, "OK", {"scene": "ocr"}, now=2.0)
    [claimed] = store.deliveries.claim_due(10, now=3.0, lease_seconds=30)
    assert claimed.status == "delivering"
    assert store.deliveries.claim_due(10, now=4.0, lease_seconds=30) == []  # leased
    store.deliveries.record_attempt("t", delivered=False, error="HTTP 500", next_attempt_at=10.0, now=5.0)
    assert store.deliveries.claim_due(10, now=9.0, lease_seconds=30) == []  # not due yet
    [again] = store.deliveries.claim_due(10, now=10.0, lease_seconds=30)
    assert again.attempts == 1 and again.last_error == "HTTP 500"
    store.deliveries.record_attempt("t", delivered=False, error="timeout", next_attempt_at=None, now=11.0)
    final = store.deliveries.get("t")
    assert final is not None and final.status == "given_up" and final.attempts == 2
    assert store.deliveries.claim_due(10, now=1e9, lease_seconds=30) == []


def test_purge_removes_tasks_and_their_deliveries(store: Store) -> None:
    store.tasks.add([_task("old", callback="http://127.0.0.1:9/cb")], now=1.0)
    store.tasks.finish("old", 200, "OK", {"scene": "ocr"}, now=2.0)
    store.tasks.add([_task("new")], now=100.0)
    assert store.tasks.purge_created_before(50.0) == 1
    assert store.tasks.get("old") is None and store.deliveries.get("old") is None
    assert store.tasks.get("new") is not None


def test_accounts(store: Store) -> None:
    account = store.accounts.create(now=1.0, uid="1234")
    assert account.access_key_secret not in repr(account)
    assert store.accounts.secret_for(account.access_key_id) == account.access_key_secret
    assert store.accounts.secret_for("LTAInope") is None
    second = store.accounts.create(now=2.0, uid="1234")
    assert second.access_key_id != account.access_key_id and second.uid == "1234"
    fresh = store.accounts.create(now=3.0)
    assert fresh.uid.isdigit() and len(fresh.uid) == 16
    store.accounts.set_enabled(account.access_key_id, False)
    got = store.accounts.get(account.access_key_id)
    assert got is not None and not got.enabled


def test_nonces_refuse_replay_across_threads(store: Store) -> None:
    assert store.nonces.add_if_new("n1", "k1", now=100.0, ttl=60)
    assert not store.nonces.add_if_new("n1", "k1", now=110.0, ttl=60)
    assert store.nonces.add_if_new("n1", "k2", now=110.0, ttl=60)  # per key
    assert store.nonces.add_if_new("n1", "k1", now=200.0, ttl=60)  # outside the window
    # Many threads racing on one nonce: exactly one wins.
    results: list[bool] = []
    lock = threading.Lock()

    def attempt() -> None:
        ok = store.nonces.add_if_new("race", "k1", now=300.0, ttl=60)
        with lock:
            results.append(ok)

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(True) == 1
    assert store.nonces.purge(now=1000.0) >= 1
