"""``python -m receipts.simulator --port 8300 --state var/receipt-provider.json``"""

from __future__ import annotations

import argparse
import sys

from .server import serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m receipts.simulator",
        description="Máy mô phỏng nhà cung cấp biên lai điện tử (kiểu Viettel S-Invoice).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="Địa chỉ lắng nghe")
    parser.add_argument("--port", type=int, default=8300, help="Cổng (mặc định 8300)")
    parser.add_argument("--state", default="", help="Tệp trạng thái JSON")
    parser.add_argument("--verbose", action="store_true", help="Ghi một dòng mỗi yêu cầu")
    args = parser.parse_args(argv)
    serve(args.host, args.port, args.state or None, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
