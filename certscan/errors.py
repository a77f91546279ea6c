"""Every error certscan raises, and the API code each one answers with.

The hierarchy::

    CertscanError                    500 GENERAL_ERROR (anything unexpected; safe to retry)
    ├── BadRequest                   400 BAD_REQUEST (a request or task parameter is missing or invalid)
    ├── AuthError                    401 (request level; carries the vendor gateway's string code)
    │   ├── InvalidAccessKey             InvalidAccessKeyId.NotFound
    │   ├── SignatureMismatch            SignatureDoesNotMatch
    │   ├── TimestampExpired             InvalidTimeStamp.Expired
    │   ├── NonceUsed                    SignatureNonceUsed
    │   ├── IncompleteSignature          IncompleteSignature (no, malformed or unsupported Authorization)
    │   └── BodyDigestMismatch           InvalidContentMD5 / InvalidContentSHA256
    ├── PermissionDenied             596 PERMISSION_DENY
    ├── QuotaExceeded                588 EXCEED_QUOTA
    ├── TaskNotFound                 404 NOT_FOUND
    ├── TaskExpired                  594 EXPIRED
    └── TaskError                    per-task failures, stored with the task
        ├── UrlNotAllowed            401 NOT_ALLOWED (fetch guard refused the URL)
        ├── ImageForbidden           403 FORBIDDEN (image server answered 401/403)
        ├── ImageNotFound            404 NOT_FOUND (image server answered 404/410)
        ├── DownloadFailed           480 DOWNLOAD_FAILED
        ├── ProcessingTimeout        581 TIMEOUT
        ├── RecognitionFailed        586 ALGO_FAILED
        ├── ImageTooLarge            589 TOO_LARGE
        ├── BadImageFormat           590 BAD_FORMAT
        └── DownloadTimeout          592 DOWNLOAD_TIMEOUT

Errors are translated at each boundary: the imaging layer raises ``TaskError`` subclasses, the worker
stores ``code``/``msg`` with the task, and the HTTP layer renders ``AuthError`` with both key spellings.
"""

from __future__ import annotations

from typing import ClassVar


class CertscanError(Exception):
    """Base of every certscan error; ``code`` is the API's numeric code."""

    code: ClassVar[int] = 500
    default_msg: ClassVar[str] = "internal error"

    def __init__(self, msg: str | None = None) -> None:
        self.msg = msg or self.default_msg
        super().__init__(self.msg)


class BadRequest(CertscanError):
    code = 400
    default_msg = "bad request"


class AuthError(CertscanError):
    """Authentication failed. ``vendor_code`` is the gateway's string code the SDKs report."""

    code = 401
    vendor_code: ClassVar[str] = "InvalidAuthorization"
    default_msg = "authentication failed"


class InvalidAccessKey(AuthError):
    vendor_code = "InvalidAccessKeyId.NotFound"
    default_msg = "Specified access key is not found."


class SignatureMismatch(AuthError):
    vendor_code = "SignatureDoesNotMatch"
    # The first-generation SDK evaluates Message.split(':')[1]: the colon is load-bearing.
    default_msg = "Specified signature is not matched with our calculation. server string to sign is:"


class TimestampExpired(AuthError):
    vendor_code = "InvalidTimeStamp.Expired"
    default_msg = "Specified time stamp or date value is expired."


class NonceUsed(AuthError):
    vendor_code = "SignatureNonceUsed"
    default_msg = "Specified signature nonce was used already."


class IncompleteSignature(AuthError):
    vendor_code = "IncompleteSignature"
    default_msg = "The request signature does not conform to the standards: no usable Authorization header."


class BodyDigestMismatch(AuthError):
    vendor_code = "InvalidContentMD5"
    default_msg = "Specified content digest is not matched with the body."

    def __init__(self, msg: str | None = None, vendor_code: str = "InvalidContentMD5") -> None:
        # Which digest failed (Content-MD5 or x-acs-content-sha256) decides the code the SDK sees.
        super().__init__(msg)
        self.vendor_code = vendor_code  # type: ignore[misc]


class PermissionDenied(CertscanError):
    code = 596
    default_msg = "permission denied"


class QuotaExceeded(CertscanError):
    code = 588
    default_msg = "too many requests: QPS limit exceeded"


class TaskNotFound(CertscanError):
    code = 404
    default_msg = "task not found"


class TaskExpired(CertscanError):
    code = 594
    default_msg = "task results expired"


class TaskError(CertscanError):
    """A failure of one task; stored with it and reported in its ``data[i]``."""


class UrlNotAllowed(TaskError):
    code = 401
    default_msg = "url not allowed"


class ImageForbidden(TaskError):
    code = 403
    default_msg = "image server refused access"


class ImageNotFound(TaskError):
    code = 404
    default_msg = "image not found"


class DownloadFailed(TaskError):
    code = 480
    default_msg = "download failed"


class ProcessingTimeout(TaskError):
    code = 581
    default_msg = "processing timed out"


class RecognitionFailed(TaskError):
    code = 586
    default_msg = "recognition failed"


class ImageTooLarge(TaskError):
    code = 589
    default_msg = "image too large"


class BadImageFormat(TaskError):
    code = 590
    default_msg = "bad image format"


class DownloadTimeout(TaskError):
    code = 592
    default_msg = "download timed out"


def code_and_msg(exc: BaseException) -> tuple[int, str]:
    """The (code, msg) pair a task or response reports for ``exc``; unknown errors are 500."""
    if isinstance(exc, CertscanError):
        return exc.code, exc.msg
    return GENERAL_ERROR_CODE, "internal error"


GENERAL_ERROR_CODE = 500
