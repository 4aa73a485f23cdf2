"""The DVCQG coordination hub: transport, operations, message builders."""
