#!/usr/bin/env python3
"""Side by side: `hvecs servers list -o json` and the official Python SDK (huaweicloudsdkecs)
listing the same simulator, paired and interleaved (issue 21). Not part of `cargo test`.

Run it with the SDK's python (`.ci/sdk-venv` prints it) after `cargo build --release --bin hvecs`:

    PY=$(.ci/sdk-venv | tail -n 1)
    $PY benches/side_by_side.py --servers 10000 --runs 5

It starts `hvecs sim --servers 3*N` (N servers in each of its 3 regions), then, for each run,
lists one region whole with both clients (the order alternates from run to run), stdout to
/dev/null. Each client is a child process, measured by wait4: wall, user+system CPU, peak RSS.
Requests come from the simulator's /_sim/stats, the simulator's CPU from /proc. Bytes (answer
bodies and headers, each way) are counted in one extra untimed run of each client through a
counting TCP proxy. The medians and every run are printed as a Markdown table.

Options: --hvecs BIN (default target/release/hvecs), --servers N (a region, default 10000),
--runs R (default 3). `--sdk-client` is the SDK's side, run by the harness itself.
"""
import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

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
    """Runs argv with stdout to /dev/null; (wall s, CPU s, peak RSS MB, exit status)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    t0 = time.monotonic()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
    _, status, ru = os.wait4(pid, 0)
    wall = time.monotonic() - t0
    os.close(devnull)
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


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
        runs = {"hvecs": [], "sdk": []}
        for i in range(a.runs):
            order = ["hvecs", "sdk"] if i % 2 == 0 else ["sdk", "hvecs"]
            for name in order:
                argv, env = clients(a.hvecs, url, region, project, home)[name]
                req0, cpu0 = sim_requests(url), sim_cpu(sim.pid)
                wall, cpu, rss, code = run_child(argv, env)
                if code != 0:
                    sys.exit("%s ended with %d" % (name, code))
                runs[name].append({"wall": wall, "cpu": cpu, "rss": rss,
                                   "requests": sim_requests(url) - req0,
                                   "sim_cpu": sim_cpu(sim.pid) - cpu0})
                print("run %d %-5s wall %6.2f s  cpu %6.2f s  rss %7.1f MB  requests %d  sim cpu %.2f s"
                      % (i + 1, name, wall, cpu, rss, runs[name][-1]["requests"], runs[name][-1]["sim_cpu"]),
                      file=sys.stderr)
        host, port = url.split("//")[1].split(":")
        nbytes = {}
        for name in ("hvecs", "sdk"):
            def one(proxy, name=name):
                argv, env = clients(a.hvecs, proxy, region, project, home)[name]
                for k in ("HVECS_ENDPOINT", "SBS_ENDPOINT"):
                    if k in env:
                        env[k] = proxy
                run_child(argv, env)
            nbytes[name] = asyncio.run(count_bytes(host, int(port), one))
        report(a, runs, nbytes)
    finally:
        sim.terminate()
        sim.wait()


def report(a, runs, nbytes):
    def med(name, key):
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
    for name in ("hvecs", "sdk"):
        print("%s runs: " % name + "; ".join(
            "%.2f s wall, %.2f s CPU, %.0f MB" % (r["wall"], r["cpu"], r["rss"]) for r in runs[name]))


if __name__ == "__main__":
    main()
