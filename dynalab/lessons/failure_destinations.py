"""Where a Lambda event source mapping sends the record of a batch it gave up on: its on-failure destination.

For a DynamoDB stream, AWS takes "an Amazon SNS topic, Amazon SQS queue, or Amazon S3 bucket"
[src:esm-on-failure-destinations]. ``FailureDestination`` checks, when the mapping is made, that the destination
exists on the engine (moto has all three), and delivers each invocation record there: a message (SQS), a
notification (SNS) or an object (S3). What it does not simulate, said here: the S3 object's key layout is
dynalab's own (``aws/lambda/<function>/<shard>/<timestamp>-<id>.json``), and SNS's 256 KB message limit is not
checked (an invocation record is a few hundred bytes).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from botocore.exceptions import ClientError

from dynalab.i18n import tr
from dynalab.models.event_source_mapping import MappingSettings

__all__ = ["FailureDestination"]


class FailureDestination:
    """The on-failure destination of one mapping (or none), checked to exist on the lab's engine."""

    def __init__(self, lab: Any, settings: MappingSettings) -> None:
        self.arn = settings.on_failure_destination
        self.service = settings.on_failure_destination_service
        self.queue_url: str | None = None
        if self.arn is None or self.service is None:
            return
        self.client = lab.new_client(self.service)
        name = self.arn.rsplit(":", 1)[1]
        try:
            if self.service == "sqs":
                self.queue_url = self.client.get_queue_url(QueueName=name)["QueueUrl"]
            elif self.service == "sns":
                self.client.get_topic_attributes(TopicArn=self.arn)
            else:
                self.client.head_bucket(Bucket=name)
        except ClientError as error:
            raise ValueError(tr("the on-failure destination {arn} does not exist on this engine ({value}); create it "
                                "first (an SQS queue, an SNS topic or an S3 bucket)", arn=self.arn,
                                value=error.response["Error"].get("Code"))) from None

    def send(self, record: dict, function_name: str) -> None:
        """Deliver one invocation record (nothing without a destination)."""
        if self.arn is None:
            return
        body = json.dumps(record)
        if self.service == "sqs":
            self.client.send_message(QueueUrl=self.queue_url, MessageBody=body)
        elif self.service == "sns":
            self.client.publish(TopicArn=self.arn, Message=body)
        else:
            shard = record["DDBStreamBatchInfo"]["shardId"]
            key = f"aws/lambda/{function_name}/{shard}/{record['timestamp']}-{uuid.uuid4()}.json"
            self.client.put_object(Bucket=self.arn.rsplit(":", 1)[1], Key=key, Body=body.encode())

    def received(self, max_messages: int = 100) -> list[dict]:
        """Read (and delete) the records waiting in an SQS destination ([] for SNS, S3 or none)."""
        if self.queue_url is None:
            return []
        found: list[dict] = []
        while len(found) < max_messages:
            messages = self.client.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10).get("Messages", [])
            if not messages:
                return found
            for message in messages:
                found.append(json.loads(message["Body"]))
                self.client.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        return found
