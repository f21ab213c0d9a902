"""The CloudWatch Logs client: the logs view's only way to CloudWatch Logs.

It is built like the SageMaker client (same session, retry policy and timeouts, see
:mod:`smtui.aws.client`) and translates every error once into
:class:`~smtui.aws.errors.AwsError`, so an AccessDenied on ``logs:`` actions is an error of
the logs view only. Every call is a read: the logs view never writes to CloudWatch.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from botocore import xform_name

from smtui.aws.client import READ_TIMEOUT, client_config, make_session
from smtui.aws.errors import AwsError, translate
from smtui.aws.target import Target

READS = frozenset({"DescribeLogStreams", "FilterLogEvents", "GetLogEvents", "DescribeLogGroups"})


class CloudWatchLogs:
    """A long-lived ``logs`` client for one :class:`Target`, created lazily, closed explicitly."""

    def __init__(self, target: Target, *, read_timeout: float = READ_TIMEOUT) -> None:
        self.target = target
        self.read_timeout = read_timeout
        self._session = make_session(target)
        self._stack = contextlib.AsyncExitStack()
        self._client: Any = None
        self.calls = 0

    async def client(self) -> Any:
        if self._client is None:
            try:
                self._client = await self._stack.enter_async_context(
                    self._session.create_client(
                        "logs",
                        region_name=self.target.region,
                        endpoint_url=self.target.endpoint_url,
                        config=client_config(read_timeout=self.read_timeout),
                    )
                )
            except Exception as exc:  # profile/region problems surface here
                raise translate(exc, profile=self.target.profile) from exc
        return self._client

    async def call(self, operation: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Call one read of CloudWatch Logs by its model name (``FilterLogEvents``)."""
        if operation not in READS:
            raise ValueError(f"{operation} is not a read smtui makes")
        client = await self.client()
        self.calls += 1
        try:
            result: dict[str, Any] = await getattr(client, xform_name(operation))(**dict(params or {}))
        except AwsError:
            raise
        except Exception as exc:
            raise translate(exc, profile=self.target.profile, operation=operation) from exc
        result.pop("ResponseMetadata", None)
        return result

    async def close(self) -> None:
        self._client = None
        await self._stack.aclose()
