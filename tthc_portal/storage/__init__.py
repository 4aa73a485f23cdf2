"""Where the portal's files live: the local disk (``make run``) or an S3-compatible
object store (MinIO, any S3 service), chosen by environment in ``config.py``.

Every caller goes through Django's storage API (``open``/``save``/``delete``),
never a filesystem path, so the same code runs on one machine or many.
``s3.py`` adds checksums on write and verification on read; ``inventory.py``
lists and hashes a store's files for ``storage_migrate`` and the backups.
"""
