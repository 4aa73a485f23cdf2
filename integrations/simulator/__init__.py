"""A local imitation of the national systems the portal talks to: the DVCQG/LGSP hub,
PayGov, the citizen data store and a minimal national portal page.

It is a separate HTTP server process (standard library only, no Django) that speaks the
wire protocol of ``integrations/PROTOCOL.md``, with an admin API under ``/_admin/`` for
tests, benchmarks and the demo::

    python -m integrations.simulator --port 8100 --state var/hub-state.json
    manage.py run_national_hub --port 8100 --state var/national-hub.json
"""

from .control import HubControl, HubError
from .process import HubProcess, free_port

__all__ = ["HubControl", "HubError", "HubProcess", "free_port"]
