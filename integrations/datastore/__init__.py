"""The citizen's data store on DVCQG (integrations/PROTOCOL.md §6): look up the
applicant's earlier results, and fill a component with one of them, keeping the
store's signature as evidence (``services``)."""
