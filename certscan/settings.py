"""The one settings class. Values come from ``CERTSCAN_*`` environment variables or a ``.env`` file."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from certscan import constants


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CERTSCAN_", env_file=".env", extra="ignore")

    # Service
    data_dir: Path = Field(Path(".data"), description="Where the SQLite store, accounts and uploads live.")
    host: str = "127.0.0.1"
    port: int = 8080
    public_base_url: str = Field("", description="Externally visible base URL (upload endpoint); "
                                 "defaults to the address served on.")
    database_url: str = Field("", description="SQLAlchemy URL; empty = SQLite under data_dir.")
    queue: str = Field("embedded", description="'embedded' (in-process pool) or 'celery'.")
    redis_url: str = "redis://127.0.0.1:6379/0"
    celery_queue: str = Field("certscan", description="Celery queue name (scale-out); also names the "
                              "Redis channel on which workers announce finished tasks.")
    celery_republish_seconds: float = Field(300.0, description="A queued task handed to the broker but "
                                            "not taken by a worker for this long is published again.")
    insecure_no_auth: bool = Field(False, description="Development only: accept unsigned requests.")

    # Limits
    qps_per_account: int = 10
    result_retention_seconds: int = 4 * 3600
    sync_scan_budget_seconds: float = constants.SYNC_SCAN_BUDGET_SECONDS
    auth_clock_skew_seconds: int = 15 * 60

    # Worker
    workers: int = Field(1, description="Worker processes running OCR (each loads the models once).")
    worker_threads: int = Field(2, description="ONNX Runtime intra-op threads per worker process.")
    ocr_backend: str = Field("onnx", description="OCR engine: 'onnx' (certscan's own) or 'rapid' (stock).")
    ocr_fold_affine: bool = Field(True, description="Fold the models' scalar affine steps and hard-swishes "
                                  "into their convolutions when they load (the same function, less CPU).")
    rec_int8: str = Field("", description="Recogniser layers quantised to int8 when its model loads "
                          "(comma-separated: 'matmul', 'conv'; empty = float32 as shipped).")
    task_concurrency: int = Field(4, description="Tasks in flight at once per server (downloading or "
                                  "waiting for / running in a worker process).")
    task_lease_seconds: float = Field(60.0, description="A running task not renewed for this long is "
                                      "taken over by another server (shared database only).")
    purge_interval_seconds: float = Field(60.0, description="How often expired tasks and nonces are purged.")
    warm_up_workers: bool = Field(True, description="Load the OCR models in every worker process at "
                                  "start-up, so the first synchronous scan does not pay for it.")

    # Image intake
    download_timeout_seconds: float = constants.DOWNLOAD_BUDGET_SECONDS
    max_image_bytes: int = constants.MAX_IMAGE_BYTES
    fetch_allow: str = Field("", description="Comma-separated CIDRs the fetch guard lets through.")

    # Upload store (oss:// URLs written by the vendor's uploader)
    upload_bucket: str = Field("certscan-upload", description="Bucket name of the built-in upload store.")
    upload_credential_ttl_seconds: int = 3600
    upload_secret: str = Field("", description="Signs upload credentials; set the same value on every "
                               "server of a scale-out deployment (default: random, kept in data_dir).")
    oss_buckets: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="External S3/OSS-compatible buckets oss:// URLs may name (JSON): {bucket: {endpoint, "
        "region, access_key_id, secret_access_key, uids: [account UIDs or '*']}}.",
    )

    # Callbacks
    callback_attempts: int = constants.CALLBACK_ATTEMPTS
    callback_backoff_base_seconds: float = 1.0
    callback_backoff_max_seconds: float = 600.0
    callback_timeout_seconds: float = 5.0
    callback_poll_seconds: float = Field(1.0, description="How often the callback sender looks for due "
                                         "deliveries (it is also woken when a task finishes).")
    callback_concurrency: int = Field(64, description="Callback POSTs in flight at once per server.")
    callback_host_concurrency: int = Field(8, description="Of those, at most this many to one receiver "
                                           "(host:port), so a slow receiver cannot take every slot.")

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'certscan.sqlite3').resolve()}"


@cache
def get_settings() -> Settings:
    return Settings()
