"""The JSON API (django-ninja): applications, appeals and annual reports, with the pages' permissions."""
