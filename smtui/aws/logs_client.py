"""The CloudWatch Logs client: the logs view's only way to CloudWatch Logs.

It is built like the SageMaker client (same session, retry policy and timeouts, see
:mod:`smtui.aws.client`) and translates every error once into
:class:`~smtui.aws.errors.AwsError`, so an AccessDenied on ``logs:`` actions is an error of
the logs view only. Every call is a read: the logs view never writes to CloudWatch.
"""

from __future__ import annotations

from smtui.aws.reader import ReadOnlyClient

READS = frozenset({"DescribeLogStreams", "FilterLogEvents", "GetLogEvents", "DescribeLogGroups"})


class CloudWatchLogs(ReadOnlyClient):
    """A long-lived ``logs`` client for one target, created lazily, closed explicitly."""

    SERVICE = "logs"
    READS = READS
