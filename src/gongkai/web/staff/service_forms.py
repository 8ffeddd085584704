"""Small pieces shared by the staff forms that post to a service: date fields and service errors."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from .steps import DateWidget


def date_field(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, widget=DateWidget(), required=required,
                           error_messages={"required": f"请填写{label}", "invalid": f"{label}格式不正确"})


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's field errors on the form's fields (on the form itself when the field is not shown)."""
    if hasattr(error, "error_dict"):
        for name, field_errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)
