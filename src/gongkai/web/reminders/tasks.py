"""The periodic reminder scan and the daily 日提醒 as huey tasks: thin shells over ``services.reminders_send``
and ``supervision.digest_job.digests_send``."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gongkai.web.supervision.digest_job import digests_send

from .services import reminders_send


@db_periodic_task(crontab(minute="0", hour="8-18"))
def reminders_scan() -> dict:
    """Hourly in office hours; each run looks at the present state, so a missed run is caught up."""
    result = reminders_send()
    return {"due": result.due, "created": result.created, "emailed": result.emailed}


@db_periodic_task(crontab(minute="30", hour="7"))
def digest_daily() -> dict:
    """日提醒 each morning; a second run the same day reports nothing twice (``digest_job.digests_send``)."""
    result = digests_send()
    return {"recipients": result.recipients, "created": result.created, "emailed": result.emailed}
