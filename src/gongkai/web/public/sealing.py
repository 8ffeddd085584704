"""The query code kept sealed for a short while, so the same form posted again can show it again.

Only the code's digest is kept for good (``cases.services``).  But when the site fails
between the commit and the response, the applicant never saw the code; posting the same
form again must show it.  So the code is also kept *sealed* for
``GONGKAI_QUERY_CODE_RESHOW_MINUTES`` (and dropped at the first successful progress query):

* the key is HMAC(SECRET_KEY, form token + everything the form said), so the database alone
  cannot open it, nor can someone who saw the token (it is in the result page's address):
  only a browser posting the very same form again;
* encrypt-then-MAC with HMAC-SHA256 as the keystream and the tag; each key seals one code
  once, so the standard library is enough (no cipher dependency).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

TAG_BYTES = 16


def _key(token: str, content: str) -> bytes:
    message = "\0".join(["gongkai.query-code", token, content]).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()


def _stream(key: bytes, length: int) -> bytes:
    stream = hmac.new(key, b"stream", hashlib.sha256).digest()
    if length > len(stream):
        raise ValueError("a query code is short")
    return stream[:length]


def _tag(key: bytes, sealed: bytes) -> bytes:
    return hmac.new(key, b"tag" + sealed, hashlib.sha256).digest()[:TAG_BYTES]


def code_seal(code: str, *, token: str, content: str) -> str:
    key, plain = _key(token, content), code.encode()
    sealed = bytes(a ^ b for a, b in zip(plain, _stream(key, len(plain)), strict=True))
    return (sealed + _tag(key, sealed)).hex()


def code_unseal(sealed_hex: str, *, token: str, content: str) -> str | None:
    """The code, or None when the seal does not open with this token and content."""
    try:
        raw = bytes.fromhex(sealed_hex)
    except ValueError:
        return None
    sealed, tag = raw[:-TAG_BYTES], raw[-TAG_BYTES:]
    key = _key(token, content)
    if not sealed or not hmac.compare_digest(tag, _tag(key, sealed)):
        return None
    return bytes(a ^ b for a, b in zip(sealed, _stream(key, len(sealed)), strict=True)).decode()
