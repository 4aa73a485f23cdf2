"""``python -m integrations.simulator --port 8100 --state var/hub-state.json``"""

from __future__ import annotations

import argparse
import sys

from .server import serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m integrations.simulator",
        description="Máy mô phỏng trục liên thông quốc gia (DVCQG/LGSP, PayGov, kho dữ liệu).",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="Địa chỉ lắng nghe (mặc định 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8100, help="Cổng (mặc định 8100)")
    parser.add_argument("--state", default="", help="Tệp trạng thái JSON (nạp khi khởi động)")
    parser.add_argument("--config", default="", help="Tệp cấu hình JSON (units, token_ttl, …)")
    parser.add_argument("--catalogue", default="", help="Tệp JSON: danh sách đối tượng LayThuTuc")
    parser.add_argument("--verbose", action="store_true", help="Ghi một dòng mỗi yêu cầu ra stderr")
    args = parser.parse_args(argv)
    serve(
        host=args.host,
        port=args.port,
        state_path=args.state or None,
        config_path=args.config or None,
        catalogue_path=args.catalogue or None,
        verbose=args.verbose,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
