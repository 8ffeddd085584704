"""The Content-Security-Policy header of every response (no dependency: one header, one setting).

Scripts and style sheets come only from the site itself: no inline ``<script>``, no
``onclick=``, no ``javascript:`` link, no inline ``<style>`` — the templates keep theirs in
static files.  Inline ``style=""`` attributes stay allowed (``style-src-attr``): the annual
report's official layout sets its column widths that way, and an attribute can neither run
script nor select other elements.  Images may be ``data:`` URIs (the API docs' icons).
A view that sets its own header keeps it.
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.GONGKAI_CONTENT_SECURITY_POLICY
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response
