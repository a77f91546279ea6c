"""Calling a live certscan with the vendor's first-generation SDK (aliyun-python-sdk-core + green)."""

from __future__ import annotations

import json
from typing import Any

from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.profile import region_provider
from aliyunsdkgreen.request.v20180509 import ImageAsyncScanRequest, ImageAsyncScanResultsRequest

REGION = "cn-shanghai"


def first_gen_client(port: int, key: dict[str, str], secret: str | None = None) -> AcsClient:
    # The vendor's samples point the SDK at another endpoint this way (API.md, "Local files").
    region_provider.modify_point("Green", REGION, f"127.0.0.1:{port}")
    return AcsClient(key["accessKeyId"], secret or key["accessKeySecret"], REGION)


def async_scan(client: AcsClient, body: dict[str, Any]) -> dict[str, Any]:
    request = ImageAsyncScanRequest.ImageAsyncScanRequest()
    request.set_accept_format("JSON")
    request.set_protocol_type("http")
    request.set_content(json.dumps(body).encode("utf-8"))
    answer: dict[str, Any] = json.loads(client.do_action_with_exception(request))
    return answer


def poll_raw(client: AcsClient, task_ids: list[str]) -> bytes:
    """The results operation's raw response body, byte for byte."""
    request = ImageAsyncScanResultsRequest.ImageAsyncScanResultsRequest()
    request.set_accept_format("JSON")
    request.set_protocol_type("http")
    request.set_content(json.dumps(task_ids).encode("utf-8"))
    raw: bytes = client.do_action_with_exception(request)
    return raw
