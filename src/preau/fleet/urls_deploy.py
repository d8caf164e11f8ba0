"""Deployment pages (included in ``preau.fleet.urls``, namespace ``fleet``)."""

from django.urls import URLPattern, path

from preau.fleet import views_deploy, views_deploy_runs, views_deploy_steps


def _step_paths(kind: str) -> list[URLPattern]:
    """A package's checks or actions: ``package_check_add``, ``package_action_move``…"""
    one, views, extra = kind[:-1], views_deploy_steps, {"kind": kind}
    return [
        path(f"deploy/<int:pk>/{kind}/", views.step_add, extra, name=f"package_{one}_add"),
        path(f"deploy/{kind}/<int:pk>/", views.step_edit, extra, name=f"package_{one}_edit"),
        path(f"deploy/{kind}/<int:pk>/remove/", views.step_remove, extra,
             name=f"package_{one}_remove"),
        path(f"deploy/{kind}/<int:pk>/move/", views.step_move, extra, name=f"package_{one}_move"),
    ]  # fmt: skip


def _control_path(op: str) -> URLPattern:
    """Pause, resume, cancel a deployment or retry its failed devices."""
    view = views_deploy_runs.deployment_control
    return path(f"deploy/runs/<int:pk>/{op}/", view, {"op": op}, name=f"deployment_{op}")


_packages, _runs = views_deploy, views_deploy_runs
urlpatterns: list[URLPattern] = [
    path("deploy/", _packages.package_list, name="package_list"),
    path("deploy/new/", _packages.package_create, name="package_create"),
    path("deploy/<int:pk>/", _packages.package_detail, name="package_detail"),
    path("deploy/<int:pk>/edit/", _packages.package_edit, name="package_edit"),
    path("deploy/<int:pk>/duplicate/", _packages.package_duplicate, name="package_duplicate"),
    path("deploy/<int:pk>/trash/", _packages.package_trash, name="package_trash"),
    path("deploy/<int:pk>/restore/", _packages.package_restore, name="package_restore"),
    path("deploy/<int:pk>/erase/", _packages.package_erase, name="package_erase"),
    path("deploy/<int:pk>/files/", _packages.file_add, name="package_file_add"),
    path("deploy/files/<int:pk>/remove/", _packages.file_remove, name="package_file_remove"),
    *_step_paths("checks"),
    *_step_paths("actions"),
    path("deploy/<int:pk>/launch/", _runs.deployment_create, name="deployment_create"),
    path("deploy/runs/", _runs.deployment_list, name="deployment_list"),
    path("deploy/runs/<int:pk>/", _runs.deployment_detail, name="deployment_detail"),
    *(_control_path(op) for op in ("pause", "resume", "cancel", "retry")),
    path("deploy/jobs/<int:pk>/", _runs.job_detail, name="deployment_job"),
]
