"""The in-app reminders of the signed-in user: read them, open the case, mark them read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.web.cases.selectors import cases_visible_to
from gongkai.web.query import id_from
from gongkai.web.reminders.models import Message

from .views import LOGIN_URL, PAGE_SIZE


def _own_messages(user):
    # A message whose case the user no longer sees (moved to another agency) is not shown.
    return (Message.objects.filter(recipient=user, application__in=cases_visible_to(user))
            .select_related("application").order_by("-created_at", "-pk"))


@login_required(login_url=LOGIN_URL)
def message_list(request):
    messages = _own_messages(request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        messages = messages.filter(read_at__isnull=True)
    page = Paginator(messages, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "staff/message_list.html", {"page": page, "unread_only": unread_only})


@require_POST
@login_required(login_url=LOGIN_URL)
def messages_mark_read(request):
    """标为已读: one message (``message``) or, without it, all of the user's unread ones."""
    unread = _own_messages(request.user).filter(read_at__isnull=True)
    if request.POST.get("message"):
        message_id = id_from(request.POST["message"])
        unread = unread.filter(pk=message_id) if message_id is not None else unread.none()
    Message.objects.filter(pk__in=unread.values("pk")).update(read_at=timezone.now())
    return redirect("staff:message_list")
