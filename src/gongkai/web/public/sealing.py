"""The query code kept sealed for a short while, so the same form posted again can show it again.

Only the code's digest is kept for good (``cases.services``).  But when the site fails
between the commit and the response, the applicant never saw the code; posting the same
form again must show it.  So the code is also kept *sealed* for
``GONGKAI_QUERY_CODE_RESHOW_MINUTES`` (and dropped at the first successful progress query):

* the key is HMAC(SECRET_KEY, form token + everything the form said), so the database alone
  cannot open it, nor can someone who saw the token (it is in the result page's address):
  only a browser posting the very same form again;
* sealed with AES-256-GCM (the ``cryptography`` package), a fresh nonce each time; a seal
  that does not open with this token and content is no code at all.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

NONCE_BYTES = 12


def _key(token: str, content: str) -> bytes:
    message = "\0".join(["gongkai.query-code", token, content]).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()  # 32 bytes: an AES-256 key


def code_seal(code: str, *, token: str, content: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    return (nonce + AESGCM(_key(token, content)).encrypt(nonce, code.encode(), None)).hex()


def code_unseal(sealed_hex: str, *, token: str, content: str) -> str | None:
    """The code, or None when the seal does not open with this token and content."""
    try:
        raw = bytes.fromhex(sealed_hex)
    except ValueError:
        return None
    nonce, sealed = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    if len(nonce) < NONCE_BYTES or not sealed:
        return None
    try:
        return AESGCM(_key(token, content)).decrypt(nonce, sealed, None).decode()
    except InvalidTag:
        return None
