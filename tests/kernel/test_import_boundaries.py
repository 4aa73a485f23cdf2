"""The import contracts in pyproject.toml hold (import-linter).

The kernel (``tthc_portal``) imports no domain app; the apps import only the
layers below them (site composition → synthetic data → floor apps → 766 and
national integration → feedback → dossiers → procedures → kernel). Cross-app
reactions go through signals or on-commit hooks.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "2 kept, 0 broken" in result.stdout
