"""Following a background job in a test as a browser follows the admin's redirects."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import Client, TestCase
from django.urls import resolve, reverse

from scoring.models import Job


def job_of(response: HttpResponse) -> Job:
    """The job a response redirected to (its page)."""
    assert response.status_code == 302, response
    match = resolve(response["Location"])
    assert match.url_name == "scoring_job", response["Location"]
    return Job.objects.get(pk=match.kwargs["pk"])


def page_of(client: Client, response: HttpResponse) -> str:
    """The text of the job page a response redirected to."""
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page.content.decode()


def download(client: Client, response: HttpResponse) -> HttpResponse:
    """The file of the (finished) job a response redirected to, as its page offers it."""
    job = job_of(response)
    url = reverse("scoring_job_file", args=[job.pk])
    assert url in page_of(client, response), job.state
    return client.get(url)


def content_of(download_response) -> bytes:
    return b"".join(download_response.streaming_content)


def submit(client: Client, url: str, data: dict) -> HttpResponse:
    """Post to an import page as a browser does: the background job it starts runs (the
    test's transaction never commits, so its callbacks are run here), and the redirect to
    the page following the job is followed."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, data)
    if response.status_code == 302 and "?job=" in response["Location"]:
        return client.get(response["Location"])
    return response
