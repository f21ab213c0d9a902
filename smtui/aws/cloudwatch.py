"""The CloudWatch (metrics) client: the same session, retries and error translation as SageMaker's.

Only reads are sent (GetMetricData). The client is built lazily, on the first metrics view,
so a user who never opens one never needs ``cloudwatch:`` permissions. ``endpoint_url`` is
the target's: the local emulator serves every service on one port.
"""

from __future__ import annotations

from smtui.aws.client import RETRY_CONFIG
from smtui.aws.errors import AccessDenied, AwsError
from smtui.aws.reader import ReadOnlyClient

READ_OPERATIONS = frozenset({"GetMetricData", "ListMetrics", "GetMetricStatistics"})
"""What smtui may send to CloudWatch; anything else is refused before it leaves."""


class CloudWatch(ReadOnlyClient):
    """A long-lived CloudWatch client for one target; close it explicitly."""

    SERVICE = "cloudwatch"
    READS = READ_OPERATIONS
    ATTEMPTS = int(RETRY_CONFIG["total_max_attempts"])

    def translated(self, error: AwsError) -> AwsError:
        if isinstance(error, AccessDenied):
            # translate() speaks of SageMaker; this is the one permission the panel needs.
            return AccessDenied(
                error.message,
                f"the metrics need cloudwatch:{error.operation}; the rest of smtui works without it",
                code=error.code,
                operation=error.operation,
            )
        return error
