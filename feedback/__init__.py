"""Citizen feedback: (a) evaluation of dossier handling (ratings, 9 criteria,
kiosk, the applicant's own session and a one-time link sent with the result),
(b) feedback on administrative regulations (PAKN, Decree 20/2008) with its
lifecycle table, stored deadlines, sweep, public answers, six-monthly report,
and the inputs of Decision 766 criteria 5.2–5.4.

Entry points for other modules:

* ``feedback.services.ratings.rating_invite(dossier)`` – call when a result is returned;
* ``feedback.selectors.pakn_criteria(agency_ids, start, end)`` – criteria 5.2 and 5.3;
* ``feedback.selectors.dossiers_with_dislike_or_pakn(agency_ids, start, end)`` – for 5.4;
* ``templates/feedback/_rating_invite.html`` and ``_dossier_feedback.html`` – dossier pages;
* ``feedback.demo.seed_feedback()`` – demo data; ``feedback.tasks.feedback_sweep`` – beat job.
"""
