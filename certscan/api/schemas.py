"""Pydantic models of the three operations' bodies, for the OpenAPI document at ``/docs``.

They document the wire format; they do not validate it. Requests are validated by
``certscan.api.validation`` because a bad task must get its own 400 element instead of failing the whole
request, which a model-level validation error cannot express.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

CardType = Literal[
    "business-license", "id-card-front", "id-card-back", "passport", "bank-card", "driver-license-front",
    "driver-license-back", "vehicle-license-front", "vehicle-license-back", "vehicle-num", "vehicle-vin",
    "household-head", "household-resident",
]


class CardExtras(BaseModel):
    card: CardType = Field(description="The certificate type in the images.")


class ScanTask(BaseModel):
    dataId: str | None = Field(None, description="Your id for the image; unique within the request.")
    url: str = Field(description="http(s) URL of the image, at most 2048 characters.",
                     examples=["https://example.com/card.jpg"])


class ImageScanRequest(BaseModel):
    """Body of ``/green/image/asyncscan`` and ``/green/image/scan``."""

    scenes: list[Literal["ocr"]] = Field(description='Always ["ocr"].')
    extras: CardExtras
    tasks: list[ScanTask] = Field(min_length=1, max_length=100)
    bizType: str | None = Field(None, description="Business scenario; stored with the tasks.")
    callback: str | None = Field(None, description="http(s) URL that receives each task's result (POST).")
    seed: str | None = Field(None, description="Required with callback: 1-64 of [A-Za-z0-9_].")
    cryptType: Literal["SHA256", "SM3"] | None = Field(None, description="Callback checksum digest.")


class ResultElement(BaseModel):
    model_config = ConfigDict(extra="allow")

    scene: Literal["ocr"] = "ocr"
    label: Literal["ocr", "normal"] = Field(description="ocr: text found; normal: none.")
    suggestion: Literal["review", "pass"]
    rate: float
    # Plus the card's info object under its result key, e.g. "idCardInfo", "bankCardInfo".


class TaskAnswer(BaseModel):
    model_config = ConfigDict(extra="allow")

    code: int = Field(description="200 done/accepted, 280 processing, 400 bad task, 404 unknown, 480/586/"
                                  "589/590/592 task failures, 581 sync budget exceeded, 594 expired.")
    msg: str
    dataId: str | None = None
    taskId: str | None = None
    url: str | None = None
    extras: dict[str, Any] | None = None
    results: list[ResultElement] | None = Field(None, description="Present when code is 200 (done).")


class Envelope(BaseModel):
    code: int = Field(description="200, or 400 / 588 / 596 for a request refused as a whole.")
    msg: str
    requestId: str
    data: list[TaskAnswer]


class AuthErrorBody(BaseModel):
    """HTTP 401: both key spellings, for both SDK generations."""

    Code: str = Field(examples=["SignatureDoesNotMatch"])
    Message: str
    RequestId: str
    code: int = 401
    msg: str
    requestId: str


RESULTS_REQUEST_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {"type": "string"},
    "minItems": 1,
    "maxItems": 100,
    "description": "taskIds returned by asyncscan (at most 100).",
}


def request_body(schema: dict[str, Any]) -> dict[str, Any]:
    """``openapi_extra`` for a route that reads its body raw (it must be signed byte for byte)."""
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def component_ref(model: type[BaseModel]) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def component_schemas(*models: type[BaseModel]) -> dict[str, Any]:
    """JSON schemas of ``models`` and their nested models, keyed for ``components.schemas``."""
    out: dict[str, Any] = {}
    for model in models:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        out.update(schema.pop("$defs", {}))
        out[model.__name__] = schema
    return out
