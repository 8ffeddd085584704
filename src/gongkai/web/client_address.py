"""The address a request comes from, the one every per-address limit counts.

Behind a TLS proxy ``REMOTE_ADDR`` is the proxy's own address; set
``GONGKAI_CLIENT_ADDRESS_HEADER=X-Forwarded-For`` and the address the proxy appended (the
header's last entry, which a client cannot forge) is used instead.
"""

from __future__ import annotations

from django.conf import settings


def client_address(request) -> str:
    if request is None:
        return ""
    header = getattr(settings, "GONGKAI_CLIENT_ADDRESS_HEADER", "")
    if header:
        forwarded = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")
