"""wrk's summary (on stdin, run with --latency) as one line: req/s, p50 ms, p99 ms,
errors (socket errors and non-2xx/3xx answers). Used by bench/http/run.sh and
bench/postgres/http.sh."""
import re
import sys

t = sys.stdin.read()


def ms(label):
    m = re.search(r"\s%s%%\s+([\d.]+)(us|ms|s)\b" % label, t)
    if not m:
        return float("nan")
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v


rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", t))
m = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
errors += int(m.group(1)) if m else 0
print("%.0f %.2f %.2f %d" % (rps, ms("50"), ms("99"), errors))
