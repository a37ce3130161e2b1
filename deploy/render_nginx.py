"""Render the nginx template (deploy/nginx/amtsweg.conf) for one installation.

    python -m deploy.render_nginx --listen 80 --server-name service.kassel.de \\
        --app 127.0.0.1:8001 --app 127.0.0.1:8002 --static-root /srv/amtsweg/staticfiles \\
        > /etc/nginx/sites-available/amtsweg

Each ``@NAME@`` placeholder is replaced; a line with ``@APP_SERVER@`` is repeated once per app server. The
local stack (deploy/localstack.py) renders the same file the same way, so the tests run what is shipped.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "amtsweg.conf"
PLACEHOLDER = re.compile(r"@([A-Z_]+)@")


def render(
    *,
    listen: str,
    app_servers: Sequence[str],
    static_root: str | Path,
    server_name: str = "_",
    log_dir: str | Path = "/var/log/nginx",
    template: Path = TEMPLATE,
) -> str:
    """The config for these values; ValueError for a placeholder left without a value or no app server."""
    if not app_servers:
        raise ValueError("nginx needs at least one app server")
    values = {
        "LISTEN": str(listen),
        "SERVER_NAME": server_name,
        "STATIC_ROOT": str(Path(static_root)).rstrip("/"),
        "LOG_DIR": str(Path(log_dir)).rstrip("/"),
    }
    lines: list[str] = []
    for line in template.read_text().splitlines(keepends=True):
        if "@APP_SERVER@" in line:
            lines.extend(line.replace("@APP_SERVER@", server) for server in app_servers)
        else:
            lines.append(line)
    text = "".join(lines)

    def fill(match: re.Match[str]) -> str:
        if match[1] not in values:
            raise ValueError(f"{template.name}: no value for @{match[1]}@")
        return values[match[1]]

    return PLACEHOLDER.sub(fill, text)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", default="80", help="what nginx's listen takes (default 80)")
    parser.add_argument("--server-name", default="_", help="the portal's host names, space-separated")
    parser.add_argument("--app", action="append", required=True, help="host:port of an app server (repeat)")
    parser.add_argument("--static-root", required=True, help="STATIC_ROOT, the collected static files")
    parser.add_argument("--log-dir", default="/var/log/nginx")
    args = parser.parse_args(argv)
    sys.stdout.write(
        render(
            listen=args.listen,
            server_name=args.server_name,
            app_servers=args.app,
            static_root=args.static_root,
            log_dir=args.log_dir,
        )
    )


if __name__ == "__main__":
    main()
