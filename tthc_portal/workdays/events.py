"""What the calendar tells the apps whose deadlines it moves.

The calendar is kernel: it must not import the domain apps. After an edit
commits it sends ``calendar_days_edited``; the dossiers app (and any other app
that stores deadlines) listens and recomputes its own.
"""

from django.dispatch import Signal

# kwargs: days (list[date]), exception_ids (list[int])
calendar_days_edited = Signal()
