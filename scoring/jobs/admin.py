"""The admin's background-job pages: the list, one job's page, its retry and its file.

A user sees the jobs they asked for (a superuser every job); anyone else's job answers
404, so a guessed address learns nothing. A queued or running job's page refreshes itself
(no JavaScript needed) until the job ends, then shows what it reported.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView, TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem

from scoring.jobs import runner
from scoring.jobs.models import Job
from scoring.lib.admin import TitledMixin

REFRESH_SECONDS = 2


class LoginRequiredMixin:
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def visible_job(request: HttpRequest, pk: int) -> Job:
    return get_object_or_404(runner.jobs_for(request.user).select_related("requested_by"), pk=pk)


class JobIndexView(LoginRequiredMixin, TitledMixin, ListView):
    """The user's background jobs, newest first, in a fixed number of queries."""

    template_name = "scoring/jobs/index.html"
    page_title = _("Background jobs")
    header_icon = "cogs"
    paginate_by = 50
    context_object_name = "jobs"

    def get_queryset(self):
        return runner.jobs_for(self.request.user).select_related("requested_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        jobs = list(context["jobs"])
        progress = runner.progress_of_many(jobs)
        context["rows"] = [(job, progress[job.pk], runner.kind_of(job)) for job in jobs]
        context["show_requester"] = self.request.user.is_superuser
        return context


class JobView(LoginRequiredMixin, TitledMixin, TemplateView):
    """One job: its state and progress while it runs, then its outcome."""

    template_name = "scoring/jobs/job.html"
    header_icon = "cogs"

    def get_page_title(self):
        return self.job.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("scoring_jobs"), "label": gettext("Background jobs")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request, *args, **kwargs):
        self.job = visible_job(request, kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job, user = self.job, self.request.user
        spec = runner.kind_of(job)
        context.update(
            job=job,
            kind=spec,
            outcome=job.outcome,
            progress=runner.progress_of(job),
            refresh_seconds=None if job.is_finished else REFRESH_SECONDS,
            result_template=spec.result_template if spec else "",
            may_retry=runner.may_retry(job, user),
            may_download=runner.may_download(job, user),
        )
        return context


class RetryView(LoginRequiredMixin, View):
    """Queue a failed job again (POST only), for the user who asked for it."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        job = visible_job(request, pk)
        if not runner.may_retry(job, request.user):
            messages.error(request, gettext("Only a failed job can be retried, by its requester."))
        else:
            try:
                runner.retry(job, request.user)
            except runner.NotRetryable:
                messages.error(request, gettext("This job is no longer failed: it was retried."))
        return redirect(runner.job_url(job))


class DownloadView(LoginRequiredMixin, View):
    """The file a job made, for its requester only."""

    def get(self, request, pk: int):
        job = visible_job(request, pk)
        if not runner.may_download(job, request.user):
            raise Http404
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file_name)


def admin_urls() -> list:
    return [
        path("jobs/", JobIndexView.as_view(), name="scoring_jobs"),
        path("jobs/<int:pk>/", JobView.as_view(), name="scoring_job"),
        path("jobs/<int:pk>/retry/", RetryView.as_view(), name="scoring_job_retry"),
        path("jobs/<int:pk>/file/", DownloadView.as_view(), name="scoring_job_file"),
    ]


def menu_item() -> MenuItem:
    return MenuItem(
        _("Background jobs"), reverse_lazy("scoring_jobs"), icon_name="cogs", order=9000
    )
