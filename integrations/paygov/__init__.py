"""PayGov, the national payment platform (integrations/PROTOCOL.md §5).

messages   field lists, MaXacThuc (SHA-256) signing and constant-time checks
client     the HTTP calls (INIT, QUERY), each logged as a SyncAttempt
services   INIT for a payment, confirmations received (server-to-server and the
           browser's return), QUERY, applying a confirmed transaction
reconcile  the daily QUERY of open and recently paid payments
gateway    the PaymentGateway the dossier pages use (settings.TTHC["PAYMENT_GATEWAY"])
"""
