"""Who sees the explorer: staff (anyone logged in) always, everybody when the office opens it.

One gate for every explorer page and the source download (``explorer_view``).
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login

from gongkai.web.staff.views import LOGIN_URL

from .models import ExplorerSettings


def corpus_public() -> bool:
    return settings.GONGKAI_CORPUS_PUBLIC or ExplorerSettings.objects.filter(public=True).exists()


def may_explore(user) -> bool:
    return (user.is_authenticated and user.is_active) or corpus_public()


def explorer_view(view):
    """Anyone refused is sent to the staff login, as every staff page does."""
    @wraps(view)
    def gated(request, *args, **kwargs):
        if not may_explore(request.user):
            return redirect_to_login(request.get_full_path(), LOGIN_URL)
        return view(request, *args, **kwargs)
    return gated
