"""Integration with the national systems: the DVCQG hub (outbound sync, inbound dossiers,
catalogue, reconciliation), PayGov and the citizen data store. One subpackage per concern;
every outside call goes through ``transport`` (timeouts, auth, attempt log, circuit breaker)."""
