"""The Django admin for juries' models, made safe for insiders: people and juries (people.py),
other libraries' admins for addresses, second factors, sessions and groups (accounts.py), the task
queue without any task's arguments (tasks.py), and the read-only and audited bases every app's admin
builds on (base.py). Django's autodiscovery imports this package, which registers them all."""

from . import accounts, people, tasks  # noqa: F401
