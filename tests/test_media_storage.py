"""Media in S3-compatible storage when MEDIA_S3_BUCKET is set.

moto's S3 server runs on loopback as the object store; the portal is configured from the
environment alone, in a separate process, and stores, reads and signs a file there.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "portal-media"

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")


@pytest.fixture(scope="module")
def object_store():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="portal",
        aws_secret_access_key="portal-secret",
    )
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


def portal_process(code: str, **env) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev", **env}
    script = "import django; django.setup()\n" + textwrap.dedent(code)
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_media_go_to_the_bucket_when_one_is_named(object_store):
    endpoint, client = object_store
    result = portal_process(
        """
        from django.core.files.base import ContentFile
        from django.core.files.storage import storages
        default_storage = storages["default"]

        name = default_storage.save("documents/bao-cao-thang.csv", ContentFile(b"don_vi;diem\\n"))
        print(type(default_storage).__name__)
        print(name)
        print(default_storage.open(name).read().decode().strip())
        print(default_storage.url(name))
        """,
        MEDIA_S3_BUCKET=BUCKET,
        MEDIA_S3_ENDPOINT_URL=endpoint,
        MEDIA_S3_REGION="us-east-1",
        MEDIA_S3_ACCESS_KEY="portal",
        MEDIA_S3_SECRET_KEY="portal-secret",
        MEDIA_S3_PREFIX="media",
    )
    assert result.returncode == 0, result.stderr
    backend, name, content, url = result.stdout.strip().split("\n")
    assert backend == "S3Storage"
    assert content.strip() == "don_vi;diem"
    stored = client.get_object(Bucket=BUCKET, Key=f"media/{name}")["Body"].read()
    assert stored == b"don_vi;diem\n"
    # Private objects: the address is signed and expires.
    assert url.startswith(f"{endpoint}/{BUCKET}/media/documents/")
    assert "Signature=" in url or "X-Amz-Signature=" in url


def test_without_a_bucket_media_stay_on_this_machine(tmp_path):
    result = portal_process(
        """
        from django.core.files.storage import storages
        default_storage = storages["default"]

        print(type(default_storage).__name__, default_storage.location)
        """,
        MEDIA_ROOT=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["FileSystemStorage", str(tmp_path)]
