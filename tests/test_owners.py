"""Each person's runs and batches are their own: the store's and the batch folder's ownership rules."""
import json

import pandas as pd
import pytest

from core.errors import DataError
from core.runs.owners import LOCAL, LOCAL_VIEWER, Viewer, is_admin, owner_id
from core.runs.store import RunStore

ISSUER = "https://login.example.com"
ALICE = Viewer(owner_id(ISSUER, "alice-sub"), name="Alice")
BOB = Viewer(owner_id(ISSUER, "bob-sub"), name="Bob")
ADMIN = Viewer(owner_id(ISSUER, "carol-sub"), admin=True, name="Carol")


def started(store, owner):
    return store.start("airline.csv", "abc", ["naive"], owner)


def test_each_user_lists_only_their_own_runs_and_an_admin_lists_all(tmp_path):
    store = RunStore(tmp_path)
    a, b, old = started(store, ALICE.owner), started(store, BOB.owner), started(store, LOCAL)
    assert set(store.list(ALICE)["id"]) == {a}
    assert set(store.list(BOB)["id"]) == {b}
    assert set(store.list(ADMIN)["id"]) == {a, b, old}
    assert set(store.list(LOCAL_VIEWER)["id"]) == {a, b, old}  # the single-user tool sees everything, as before
    assert store.exists(a, ALICE) and not store.exists(a, BOB) and store.exists(a, ADMIN)


def test_another_users_run_reads_as_no_run_and_cannot_be_deleted(tmp_path):
    store = RunStore(tmp_path)
    a = started(store, ALICE.owner)
    with pytest.raises(DataError) as refused:
        store.load(a, BOB)
    with pytest.raises(DataError) as missing:
        store.load("0123456789ab", BOB)
    assert "in your history" in str(refused.value)
    assert str(refused.value).replace(a, "ID") == str(missing.value).replace("0123456789ab", "ID")  # no hint that it exists
    with pytest.raises(DataError, match="no run"):
        store.delete(a, BOB)
    assert store.exists(a, ALICE)
    store.delete(a, ADMIN)  # an administrator may
    assert not store.exists(a, ADMIN)
    b = started(store, BOB.owner)
    store.delete(b, BOB)  # and the owner
    assert store.list(ADMIN).empty


def test_an_administrator_hands_the_runs_from_before_sign_in_to_a_user(tmp_path):
    store = RunStore(tmp_path)
    old = [started(store, LOCAL) for _ in range(2)]
    with pytest.raises(DataError, match="Only an administrator"):
        store.reassign(LOCAL, ALICE.owner, ALICE)
    with pytest.raises(DataError, match="Name the user"):
        store.reassign(LOCAL, "  ", ADMIN)
    assert store.reassign(LOCAL, ALICE.owner, ADMIN) == 2
    assert set(store.list(ALICE)["id"]) == set(old)


def test_administrators_are_named_by_issuer_and_subject_or_a_verified_email():
    owner = owner_id(ISSUER, "carol-sub")
    assert is_admin(owner, None, [f"{ISSUER} carol-sub"])
    assert not is_admin(owner, None, [f"{ISSUER} alice-sub"])
    assert is_admin(owner, "Carol@Example.com", ["email:carol@example.com"])
    assert not is_admin(owner, None, ["email:carol@example.com"])  # an unverified address never counts
    assert owner_id(ISSUER, "a") != owner_id("https://other.example.com", "a")  # the same subject at another provider


def test_batches_belong_to_their_owner(tmp_path):
    from core.batch.panel import BatchResult
    from core.runs.batches import delete_batch, load_batch, save_batch

    y = pd.Series(range(30), index=pd.date_range("2020-01-01", periods=30, freq="D"), dtype=float, name="s1")
    empty = pd.DataFrame({"unique_id": ["s1"], "model": ["Naive"], "error": [""]})
    result = BatchResult(history={"s1": y}, seconds=1.0, horizon=5, season=7, models={}, level=0.9, scheduler="serial", notes=[],
                         metrics=empty, forecasts=empty, skipped=pd.DataFrame({"unique_id": []}), summary=empty)
    batch_id = save_batch(result, tmp_path, owner=ALICE.owner)
    assert json.loads((tmp_path / "batches" / batch_id / "meta.json").read_text())["owner"] == ALICE.owner
    assert list(load_batch(batch_id, tmp_path, ALICE).history) == ["s1"]
    assert list(load_batch(batch_id, tmp_path, ADMIN).history) == ["s1"]
    with pytest.raises(DataError, match="no saved batch .* of yours"):
        load_batch(batch_id, tmp_path, BOB)
    with pytest.raises(DataError, match="of yours to delete"):
        delete_batch(batch_id, tmp_path, BOB)
    delete_batch(batch_id, tmp_path, ALICE)
    assert not (tmp_path / "batches" / batch_id).exists()
