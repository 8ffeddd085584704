"""The admin's inline lists of workflow events, in the words the staff pages use, never internal keys."""

from django.contrib import admin


class EventInline(admin.TabularInline):
    """Read-only events of a record; subclasses name the record's ``states`` and the ``action_labels``."""

    extra = 0
    can_delete = False
    states = None  # the model's TextChoices of states

    def action_labels(self) -> dict[str, str]:
        raise NotImplementedError

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="操作")
    def action_shown(self, event) -> str:
        return self.action_labels().get(event.action, event.action)

    @admin.display(description="原环节")
    def from_state_shown(self, event) -> str:
        return self._state(event.from_state)

    @admin.display(description="新环节")
    def to_state_shown(self, event) -> str:
        return self._state(event.to_state)

    def _state(self, value: str) -> str:
        return self.states(value).label if value in self.states.values else (value or "—")
