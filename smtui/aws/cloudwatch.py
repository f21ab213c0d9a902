"""The CloudWatch (metrics) client: the same session, retries and error translation as SageMaker's.

Only reads are sent (GetMetricData). The client is built lazily, on the first metrics view,
so a user who never opens one never needs ``cloudwatch:`` permissions. ``endpoint_url`` is
the target's: the local emulator serves every service on one port.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from botocore import xform_name

from smtui.aws.client import RETRY_CONFIG, client_config, make_session
from smtui.aws.errors import AccessDenied, AwsError, translate
from smtui.aws.target import Target

READ_OPERATIONS = frozenset({"GetMetricData", "ListMetrics", "GetMetricStatistics"})
"""What smtui may send to CloudWatch; anything else is refused before it leaves."""


class CloudWatch:
    """A long-lived CloudWatch client for one :class:`Target`; close it explicitly."""

    def __init__(self, target: Target, *, read_timeout: float = 30) -> None:
        self.target = target
        self.read_timeout = read_timeout
        self._session = make_session(target)
        self._stack = contextlib.AsyncExitStack()
        self._client: Any = None
        self.calls = 0

    async def client(self) -> Any:
        """The reading client (botocore retries throttles and transport errors)."""
        if self._client is None:
            try:
                self._client = await self._stack.enter_async_context(
                    self._session.create_client(
                        "cloudwatch",
                        region_name=self.target.region,
                        endpoint_url=self.target.endpoint_url,
                        config=client_config(
                            attempts=int(RETRY_CONFIG["total_max_attempts"]), read_timeout=self.read_timeout
                        ),
                    )
                )
            except Exception as exc:
                raise translate(exc, profile=self.target.profile) from exc
        return self._client

    async def call(self, operation: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Call one read operation by its model name (``GetMetricData``)."""
        if operation not in READ_OPERATIONS:
            raise ValueError(f"{operation} is not a CloudWatch read smtui sends")
        client = await self.client()
        self.calls += 1
        try:
            result: dict[str, Any] = await getattr(client, xform_name(operation))(**dict(params or {}))
        except AwsError:
            raise
        except Exception as exc:
            error = translate(exc, profile=self.target.profile, operation=operation)
            if isinstance(error, AccessDenied):
                # translate() speaks of SageMaker; this is the one permission the panel needs.
                error = AccessDenied(
                    error.message,
                    f"the metrics need cloudwatch:{operation}; the rest of smtui works without it",
                    code=error.code,
                    operation=operation,
                )
            raise error from exc
        result.pop("ResponseMetadata", None)
        return result

    async def close(self) -> None:
        self._client = None
        await self._stack.aclose()
