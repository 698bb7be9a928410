#!/usr/bin/env python3
"""Side by side: `hvecs servers list -o json` and the official Python SDK (huaweicloudsdkecs)
listing the same simulator, paired and interleaved (issue 21). Not part of `cargo test`.

Run it with the SDK's python (`.ci/sdk-venv` prints it) after `cargo build --release --bin hvecs`:

    PY=$(.ci/sdk-venv | tail -n 1)
    $PY benches/side_by_side.py --servers 10000 --runs 5

It starts `hvecs sim --servers 3*N` (N servers in each of its 3 regions), then, for each run,
lists one region whole with both clients (the order alternates from run to run), stdout to
/dev/null. Each client is a child process: wall and user+system CPU from wait4, peak RSS from its
VmHWM (`run_child`).
Requests come from the simulator's /_sim/stats, the simulator's CPU from /proc. Bytes (answer
bodies and headers, each way) are counted in one extra untimed run of each client through a
counting TCP proxy, in front of a recording HTTP proxy that saves every list page it passes on.
Then each client runs again, paired and interleaved, against those saved pages served by the
harness itself (a replay: no simulator in the way), for the client-only figures. The medians
and every run are printed as Markdown tables.

Options: --hvecs BIN (default target/release/hvecs), --servers N (a region, default 10000),
--runs R (default 3). `--sdk-client` is the SDK's side, run by the harness itself.
"""
import argparse
import asyncio
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = 1000
AK = "SIDEBYSIDEAK0000000000"
SK = "side-by-side-secret-key-0000000000000000"


def sdk_client():
    """The SDK's side: every server of the project, page by page, then printed as JSON."""
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.http.http_config import HttpConfig
    from huaweicloudsdkecs.v2 import EcsClient, ListServersDetailsRequest

    cfg = HttpConfig.get_default_config()
    cfg.timeout = (10, 300)
    creds = BasicCredentials(os.environ["SBS_AK"], os.environ["SBS_SK"], os.environ["SBS_PROJECT"])
    ecs = (EcsClient.new_builder().with_http_config(cfg).with_credentials(creds)
           .with_endpoints([os.environ["SBS_ENDPOINT"]]).build())
    servers = []
    page = 1
    while True:
        r = ecs.list_servers_details(ListServersDetailsRequest(offset=page, limit=PAGE))
        servers.extend(s.to_dict() for s in r.servers)
        if len(r.servers) < PAGE or len(servers) >= (r.count or 0):
            break
        page += 1
    json.dump(servers, sys.stdout, default=str)
    sys.stdout.write("\n")


def start_sim(hvecs, servers):
    proc = subprocess.Popen(
        [hvecs, "sim", "--listen", "127.0.0.1:0", "--speed", "0.001", "--servers", str(servers * 3),
         "--ak", AK, "--sk", SK],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url, region, project = None, None, None
    for line in proc.stdout:
        if line.startswith("listening on "):
            url = line.split()[-1].rstrip("/")
        elif line.startswith("region: ") and project is None:
            parts = line.split()
            region, project = parts[1], parts[3]
            break
    # Keep reading its output so that it never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
    return proc, url, region, project


def sim_requests(url):
    with urllib.request.urlopen(url + "/_sim/stats") as r:
        stats = json.load(r)
    return sum(e["count"] for e in stats["requests"] if "cloudservers/detail" in e["route"])


def sim_cpu(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_child(argv, env):
    """Runs argv with stdout to /dev/null; (wall s, CPU s, peak RSS MB, exit status).

    The peak RSS is the child's own VmHWM, read from /proc every 2 ms until it exits: wait4's
    ru_maxrss would also count this harness's memory (posix_spawn's child runs in it until its
    exec), which is a few MB at first and every saved page once a replay is under way."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    t0 = time.monotonic()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
    peak_kb = [0]
    done = threading.Event()

    def watch():
        while not done.is_set():
            try:
                with open("/proc/%d/status" % pid) as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            peak_kb[0] = max(peak_kb[0], int(line.split()[1]))
                            break
            except OSError:
                return
            time.sleep(0.002)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, status, ru = os.wait4(pid, 0)
    done.set()
    watcher.join()
    wall = time.monotonic() - t0
    os.close(devnull)
    return wall, ru.ru_utime + ru.ru_stime, peak_kb[0] / 1024, os.waitstatus_to_exitcode(status)


def clients(hvecs, url, region, project, home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HVECS_")}
    env.update({"XDG_CONFIG_HOME": home, "XDG_STATE_HOME": home, "XDG_DATA_HOME": home})
    hv_env = dict(env, HVECS_ENDPOINT=url, HVECS_REGION=region, HVECS_AK=AK, HVECS_SK=SK,
                  HVECS_PROJECT_ID=project)
    sdk_env = dict(env, SBS_ENDPOINT=url, SBS_AK=AK, SBS_SK=SK, SBS_PROJECT=project)
    return {
        "hvecs": ([os.path.abspath(hvecs), "servers", "list", "-o", "json"], hv_env),
        "sdk": ([sys.executable, os.path.abspath(__file__), "--sdk-client"], sdk_env),
    }


async def count_bytes(target_host, target_port, run):
    """Runs `run(proxy_url)` in a thread behind a counting proxy; (bytes up, bytes down)."""
    counts = [0, 0]

    async def pipe(reader, writer, i):
        try:
            while data := await reader.read(1 << 16):
                counts[i] += len(data)
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()

    async def serve(cr, cw):
        sr, sw = await asyncio.open_connection(target_host, target_port)
        await asyncio.gather(pipe(cr, sw, 0), pipe(sr, cw, 1), return_exceptions=True)

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    await asyncio.to_thread(run, "http://127.0.0.1:%d" % port)
    server.close()
    return counts


def page_key(path):
    """A list page's key: its path and its query, whatever the order of the parameters."""
    u = urllib.parse.urlsplit(path)
    if not u.path.endswith("/cloudservers/detail"):
        return None
    return u.path, tuple(sorted(urllib.parse.parse_qsl(u.query)))


def start_pages_proxy(sim_url, pages, replay):
    """An HTTP proxy in front of the simulator: it records each list page it passes on in
    `pages`, or with `replay`, answers the list pages saved there itself. Returns (server, url)."""
    target = urllib.parse.urlsplit(sim_url)
    missed = pages.setdefault("missed", [])

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def answer(self, status, headers, body):
            self.send_response(status)
            for k, v in headers:
                if k.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def forward(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else None
            conn = http.client.HTTPConnection(target.hostname, target.port, timeout=600)
            # The Host header goes on as the client signed it.
            conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for k, v in self.headers.items():
                conn.putheader(k, v)
            conn.endheaders(body)
            r = conn.getresponse()
            answer = (r.status, r.getheaders(), r.read())
            conn.close()
            return answer

        def handle_any(self):
            key = page_key(self.path)
            if replay and key in pages:
                return self.answer(*pages[key])
            if replay and key is not None:
                missed.append(self.path)
            status, headers, body = self.forward()
            if key is not None and status == 200:
                pages[key] = (status, headers, body)
            self.answer(status, headers, body)

        do_GET = do_POST = do_PUT = do_DELETE = handle_any

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:%d" % server.server_address[1]


def paired_runs(a, clients_at, sim=None, url=None, label=""):
    """`a.runs` paired runs of both clients, the order alternating; their measures by client."""
    runs = {"hvecs": [], "sdk": []}
    for i in range(a.runs):
        order = ["hvecs", "sdk"] if i % 2 == 0 else ["sdk", "hvecs"]
        for name in order:
            argv, env = clients_at()[name]
            req0 = sim_requests(url) if url else 0
            cpu0 = sim_cpu(sim.pid) if sim else 0
            wall, cpu, rss, code = run_child(argv, env)
            if code != 0:
                sys.exit("%s ended with %d" % (name, code))
            runs[name].append({"wall": wall, "cpu": cpu, "rss": rss,
                               "requests": sim_requests(url) - req0 if url else 0,
                               "sim_cpu": sim_cpu(sim.pid) - cpu0 if sim else 0})
            print("%srun %d %-5s wall %6.2f s  cpu %6.2f s  rss %7.1f MB  requests %d  sim cpu %.2f s"
                  % (label, i + 1, name, wall, cpu, rss, runs[name][-1]["requests"],
                     runs[name][-1]["sim_cpu"]), file=sys.stderr)
    return runs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sdk-client", action="store_true")
    ap.add_argument("--hvecs", default="target/release/hvecs")
    ap.add_argument("--servers", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    if a.sdk_client:
        return sdk_client()
    sim, url, region, project = start_sim(a.hvecs, a.servers)
    home = tempfile.mkdtemp(prefix="side-by-side-")
    try:
        runs = paired_runs(a, lambda: clients(a.hvecs, url, region, project, home), sim, url)
        pages = {}
        recorder, recorder_url = start_pages_proxy(url, pages, replay=False)
        host, port = recorder_url.split("//")[1].split(":")
        nbytes = {}
        for name in ("hvecs", "sdk"):
            def one(proxy, name=name):
                argv, env = clients(a.hvecs, proxy, region, project, home)[name]
                run_child(argv, env)
            nbytes[name] = asyncio.run(count_bytes(host, int(port), one))
        recorder.shutdown()
        replayer, replay_url = start_pages_proxy(url, pages, replay=True)
        replayed = paired_runs(a, lambda: clients(a.hvecs, replay_url, region, project, home),
                               label="replay ")
        replayer.shutdown()
        missed = pages.pop("missed")
        if missed:
            sys.exit("the replay missed %d pages, e.g. %s" % (len(missed), missed[0]))
        report(a, runs, nbytes, replayed, len(pages))
    finally:
        sim.terminate()
        sim.wait()


def report(a, runs, nbytes, replayed, saved):
    def med(name, key, runs=runs):
        return statistics.median(r[key] for r in runs[name])

    print("%d servers in the region, pages of %d, %d paired runs (medians; every run below)"
          % (a.servers, PAGE, a.runs))
    print()
    print("| | hvecs | official Python SDK | SDK / hvecs |")
    print("|---|---|---|---|")
    for key, label, unit in (("wall", "wall", "s"), ("cpu", "CPU (user+sys)", "s"),
                             ("rss", "peak RSS", "MB"), ("sim_cpu", "simulator CPU", "s")):
        h, s = med("hvecs", key), med("sdk", key)
        print("| %s | %.2f %s | %.2f %s | %.1f× |" % (label, h, unit, s, unit, s / h if h else 0))
    print("| requests (list pages) | %d | %d | |" % (med("hvecs", "requests"), med("sdk", "requests")))
    (hu, hd), (su, sd) = nbytes["hvecs"], nbytes["sdk"]
    print("| bytes sent / received | %.0f kB / %.1f MB | %.0f kB / %.1f MB | |"
          % (hu / 1e3, hd / 1e6, su / 1e3, sd / 1e6))
    print()
    print("Client alone: the same pages replayed by the harness (%d saved pages), medians:" % saved)
    print()
    print("| replayed | hvecs | official Python SDK | SDK / hvecs |")
    print("|---|---|---|---|")
    for key, label, unit in (("wall", "wall", "s"), ("cpu", "CPU (user+sys)", "s"),
                             ("rss", "peak RSS", "MB")):
        h, s = med("hvecs", key, replayed), med("sdk", key, replayed)
        print("| %s | %.2f %s | %.2f %s | %.1f× |" % (label, h, unit, s, unit, s / h if h else 0))
    print()
    for title, rs in (("", runs), ("replay, ", replayed)):
        for name in ("hvecs", "sdk"):
            print("%s%s runs: " % (title, name) + "; ".join(
                "%.2f s wall, %.2f s CPU, %.0f MB" % (r["wall"], r["cpu"], r["rss"]) for r in rs[name]))


if __name__ == "__main__":
    main()
