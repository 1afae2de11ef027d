"""A report of 40 accounts' balances, each asked of the accounts service.

The service is started here, on the loopback interface, so that the program runs anywhere.
Run it as `python3 report.py`: it prints the total balance.
"""

import http.server
import json
import threading
import time
import urllib.request

ACCOUNTS = 40


class Accounts(http.server.BaseHTTPRequestHandler):
    """Answers `GET /N` with account N's balance, after looking it up."""

    def do_GET(self):
        time.sleep(0.025)
        account = int(self.path.lstrip("/"))
        body = json.dumps({"account": account, "balance": 100 * account}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


service = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Accounts)
threading.Thread(target=service.serve_forever, daemon=True).start()
address = f"http://127.0.0.1:{service.server_port}"

total = 0
for account in range(ACCOUNTS):
    with urllib.request.urlopen(f"{address}/{account}") as answer:
        total += json.load(answer)["balance"]
service.shutdown()
print(total)
