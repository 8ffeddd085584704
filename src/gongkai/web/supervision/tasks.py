"""The monthly 月巡查 as a huey task: a thin shell over ``inspection_job.inspections_run``."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .inspection_job import inspections_run


@db_periodic_task(crontab(minute="0", hour="2", day="1"))
def inspection_monthly() -> dict:
    """At night on the 1st of each month (portals are fetched slowly, at a polite pace)."""
    runs = inspections_run()
    done = [run for run in runs.values() if run is not None]
    return {"offices": len(runs), "failed": len(runs) - len(done), "units": sum(len(run.units) for run in done),
            "pages": sum(run.pages_fetched for run in done), "added": sum(len(run.created) for run in done)}
