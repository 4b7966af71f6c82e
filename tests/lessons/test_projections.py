"""Pure parts of the stream projections: what each record means, lineage order, the group-by."""

from __future__ import annotations

import pytest

from dynalab.engine.streams import BadRecordError, Batch, lineage_order
from dynalab.lessons.projections import (
    CopyProjection,
    MailBatchProjection,
    VoteSummaryProjection,
    count_votes,
    mail_batch_item,
    mail_group,
    vote_of,
)


def image(user: str, vote: str | None = None, date: str = "2023-06-01") -> dict:
    found = {"UserID": {"S": user}}
    if vote is not None:
        found.update(vote={"S": vote}, Date={"S": date})
    return found


def record(name: str, old: dict | None = None, new: dict | None = None, seq: int = 1) -> dict:
    body = {"SequenceNumber": str(seq), "Keys": {"UserID": (old or new)["UserID"]}}
    if old is not None:
        body["OldImage"] = old
    if new is not None:
        body["NewImage"] = new
    return {"eventName": name, "dynamodb": body}


P = VoteSummaryProjection("summary", "daily")


def net(records: list[dict]) -> dict:
    batch = Batch(P)
    for each in records:
        batch.add(P.effects(each))
    return {key: value for key, value in batch.pending.items() if value}


def test_the_articles_example_user5_votes_a_and_a_goes_from_2_to_3():
    votes = [{"UserID": "user1", "vote": "A", "Date": "2023-06-01"},
             {"UserID": "user2", "vote": "B", "Date": "2023-06-05"},
             {"UserID": "user3", "vote": "B", "Date": "2023-07-01"},
             {"UserID": "user4", "vote": "A", "Date": "2023-06-20"}]
    assert count_votes(votes)[0] == {"A": 2, "B": 2}
    assert net([record("INSERT", new=image("user5", "A", "2023-07-08"))]) == {
        ("summary", "A"): 1, ("daily", "A", "2023-07-08"): 1}
    assert count_votes(votes + [{"UserID": "user5", "vote": "A", "Date": "2023-07-08"}])[0] == {"A": 3, "B": 2}


def test_modify_moves_a_count_and_remove_subtracts():
    assert net([record("MODIFY", image("u", "A"), image("u", "B"))]) == {
        ("summary", "A"): -1, ("daily", "A", "2023-06-01"): -1, ("summary", "B"): 1, ("daily", "B", "2023-06-01"): 1}
    assert net([record("REMOVE", old=image("u", "A"))]) == {("summary", "A"): -1, ("daily", "A", "2023-06-01"): -1}
    # a MODIFY that keeps the vote (another attribute changed) changes no count
    assert net([record("MODIFY", image("u", "A"), image("u", "A"))]) == {}


def test_motos_two_inserts_for_an_update_that_creates_an_item_count_once():
    # moto: INSERT with the key only, then INSERT with the attributes (measured on moto 5.2.5); DynamoDB emits one.
    assert net([record("INSERT", new=image("u")), record("INSERT", new=image("u", "A"))]) == {
        ("summary", "A"): 1, ("daily", "A", "2023-06-01"): 1}


def test_a_batch_adds_up_to_one_action_per_target_item():
    records = [record("INSERT", new=image(f"u{i}", "A")) for i in range(30)]
    records.append(record("REMOVE", old=image("u0", "A")))
    batch = Batch(P)
    for each in records:
        batch.add(P.effects(each))
    actions = batch.actions()
    assert len(actions) == 2
    assert actions[0]["Update"]["ExpressionAttributeValues"][":d"] == {"N": "29"}


@pytest.mark.parametrize("bad", [
    {"eventName": "INSERT"},
    {"eventName": "UPSERT", "dynamodb": {}},
    record("INSERT", new={"UserID": {"S": "u"}, "vote": {"N": "5"}, "Date": {"S": "2023-06-01"}}),
    record("INSERT", new={"UserID": {"S": "u"}, "vote": {"S": "A"}}),
    record("INSERT", new={"UserID": {"S": "u"}, "vote": {"S": "A"}, "Date": {"S": "June 1st"}}),
    {"eventName": "REMOVE", "dynamodb": {"Keys": {"UserID": {"S": "u"}}}},  # KEYS_ONLY stream
])
def test_records_of_unknown_shape_are_refused_with_a_reason(bad):
    with pytest.raises(BadRecordError):
        P.effects(bad)


def test_vote_of_reads_candidate_and_day():
    assert vote_of(image("u", "B", "2023-06-05")) == ("B", "2023-06-05")
    assert vote_of(None) is None and vote_of(image("u")) is None


def test_mail_batch_item_keeps_only_what_the_batch_needs():
    user = {"UserID": "0001", "UserName": "A-san", "Email": "aaa@example.com", "Address": "Tokyo"}
    item = mail_batch_item(user)
    assert item == {"mail_group": mail_group("0001"), "UserID": "0001", "UserName": "A-san",
                    "Email": "aaa@example.com"}
    assert mail_batch_item({"UserID": "2", "UserName": "B-san"}) is None
    assert mail_group("0001") == mail_group("0001") and mail_group("0001").startswith("group-")


def test_mail_projection_puts_then_deletes_the_later_wins():
    projection = MailBatchProjection("mail")
    batch = Batch(projection)
    new = {"UserID": {"S": "1"}, "UserName": {"S": "A-san"}, "Email": {"S": "aaa@example.com"}}
    batch.add(projection.effects({"eventName": "INSERT", "dynamodb": {"Keys": {"UserID": {"S": "1"}},
                                                                     "NewImage": new}}))
    assert list(batch.actions()[0]) == ["Put"]
    batch.add(projection.effects({"eventName": "REMOVE", "dynamodb": {"Keys": {"UserID": {"S": "1"}}}}))
    assert list(batch.actions()[0]) == ["Delete"] and len(batch.actions()) == 1


def test_copy_projection_copies_images_as_they_are():
    projection = CopyProjection("copy")
    new = image("u", "A")
    (key, value), = projection.effects(record("INSERT", new=new))
    assert projection.action(key, value) == {"Put": {"TableName": "copy", "Item": new}}
    (key, value), = projection.effects(record("REMOVE", old=new))
    assert projection.action(key, value) == {"Delete": {"TableName": "copy", "Key": {"UserID": {"S": "u"}}}}


def test_lineage_order_puts_parents_before_children():
    shards = [{"ShardId": "c", "ParentShardId": "b"}, {"ShardId": "b", "ParentShardId": "a"}, {"ShardId": "a"},
              {"ShardId": "x", "ParentShardId": "gone"}]
    assert [s["ShardId"] for s in lineage_order(shards)] == ["a", "b", "c", "x"]
    with pytest.raises(ValueError, match="cycle"):
        lineage_order([{"ShardId": "a", "ParentShardId": "b"}, {"ShardId": "b", "ParentShardId": "a"}])
