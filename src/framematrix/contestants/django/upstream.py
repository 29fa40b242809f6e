"""The upstream client: one per worker process, built at import from `settings.UPSTREAM` and
shared by the worker's threads (it wraps httpx's Client, which is thread-safe); its failures
as DRF exceptions, so the EXCEPTION_HANDLER answers them like any other error."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException

from framematrix.upstream.calls import UpstreamClient, UpstreamFailed

client = UpstreamClient(settings.UPSTREAM)


class BadGateway(APIException):
    status_code = status.HTTP_502_BAD_GATEWAY
    default_detail = "The upstream service failed."
    default_code = "bad_gateway"


class GatewayTimeout(APIException):
    status_code = status.HTTP_504_GATEWAY_TIMEOUT
    default_detail = "The upstream service did not answer in time."
    default_code = "gateway_timeout"


def profile(author_id: int) -> dict[str, Any]:
    """The upstream's object for the author; 502 or 504 when it fails (rules 25-29)."""
    try:
        return client.fetch_profile(author_id)
    except UpstreamFailed as failure:
        error = GatewayTimeout if failure.status == 504 else BadGateway
        raise error(failure.detail) from None
