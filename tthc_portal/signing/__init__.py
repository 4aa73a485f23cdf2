"""Digital signatures on dossier results (dossier-lifecycle §6).

Public API: ``tthc_portal.signing.services`` (``pdf_sign``, ``pdf_verify``,
``ca_ensure_root``, ``agency_certificate_issue``…). Where keys come from is a
backend named in ``settings.TTHC["SIGNING"]["BACKEND"]``: the demo certificate
authority kept in the database, or one PKCS#12 file per agency.
"""
