"""The periodic reminder scan as a huey task: a thin shell over ``services.reminders_send``."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import reminders_send


@db_periodic_task(crontab(minute="0", hour="8-18"))
def reminders_scan() -> dict:
    """Hourly in office hours; each run looks at the present state, so a missed run is caught up."""
    result = reminders_send()
    return {"due": result.due, "created": result.created, "emailed": result.emailed}
