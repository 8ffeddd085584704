import functools
import http.server
import threading

import pytest
from tests.conftest import CORPUS
from tests.corpus.tables import SEED_DIR


@pytest.fixture(scope="session")
def dask_client():
    """One local Dask cluster for the session: starting one costs seconds."""
    distributed = pytest.importorskip("distributed")
    # TCP on the loopback address (not the in-process transport), dashboard on a free port: nothing listens
    # beyond this machine, and two test processes do not fight over one port.
    cluster = distributed.LocalCluster(n_workers=2, processes=False, threads_per_worker=1, protocol="tcp",
                                       host="127.0.0.1", dashboard_address="127.0.0.1:0")
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.fixture
def inputs():
    """The seed reports, plus the real reports of ../shared/corpus when present."""
    sources = [str(SEED_DIR)]
    if CORPUS.is_dir():
        sources.append(str(CORPUS))
    return sources


@pytest.fixture
def http_folder(tmp_path):
    """A folder served on 127.0.0.1 by http.server; yields (folder, base URL)."""
    folder = tmp_path / "served"
    folder.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
