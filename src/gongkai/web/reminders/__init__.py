"""Reminders of due-soon and overdue applications: an idempotent periodic scan (huey), in-app messages and e-mail."""
