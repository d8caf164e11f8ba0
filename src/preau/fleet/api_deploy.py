"""Software deployment in the fleet API: packages, deployments, each device's job, and
launching a deployment (on the list's path; pause, resume… are in ``api_deploy_actions``).

Technicians and city admins only: the kernel gives everyone else empty lists and 404s; a
launch by school staff is a 403. Lists count in SQL, so a page costs the same few
queries whatever its length.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from preau.core.access import CHANGE, get_or_404, restrict
from preau.directory.models import Room, Site
from preau.fleet.api_base import SEARCH_MAX, Pages, managed, refused, user_of
from preau.fleet.deploy import progress
from preau.fleet.deploy import services_deployments as deployments
from preau.fleet.models import (
    Deployment,
    DeploymentJob,
    Device,
    JobStatus,
    Package,
    PackageFile,
)
from preau.fleet.schemas_deploy import (
    DeploymentDetailOut,
    DeploymentIn,
    DeploymentOut,
    DeviceJobOut,
    JobDetailOut,
    PackageDetailOut,
    PackageOut,
)

router = Router(tags=["fleet"])


def _packages(user: Any) -> QuerySet[Package]:
    size = (
        PackageFile.objects.filter(package=OuterRef("pk"))
        .order_by()
        .values("package")
        .annotate(total=Sum("size"))
        .values("total")
    )
    return restrict(user, Package).annotate(
        file_count=Count("files", distinct=True),
        deployment_count=Count("deployments", distinct=True),
        size=Coalesce(Subquery(size, output_field=IntegerField()), 0),
        trashed=ExpressionWrapper(Q(trashed_at__isnull=False), output_field=BooleanField()),
    )


class PackageFilter(Schema):
    q: str | None = Field(None, max_length=SEARCH_MAX, description="Part of the name")
    trashed: bool = Field(False, description="The packages in the trash instead")


@router.get("/packages", response=list[PackageOut], summary="Deployment packages")
@paginate(Pages)
def package_list(request: HttpRequest, filters: Query[PackageFilter]) -> QuerySet[Package]:
    packages = _packages(user_of(request)).filter(trashed_at__isnull=not filters.trashed)
    if filters.q:
        packages = packages.filter(name__icontains=filters.q)
    return packages.order_by("name", "pk")


@router.get("/packages/{id}", response=PackageDetailOut, summary="A package: files, steps")
def package_detail(request: HttpRequest, id: int) -> dict[str, Any]:
    user = user_of(request)
    package = get_or_404(user, _packages(user), pk=id)
    deployments = restrict(user, Deployment).filter(package=package)
    return {
        **{name: getattr(package, name) for name in PackageOut.model_fields},
        "files": package.files.all(),
        "checks": package.checks.all(),
        "actions": package.actions.all(),
        "deployments": list(deployments.values_list("pk", flat=True)),
    }


def deployment_rows(user: Any) -> QuerySet[Deployment]:
    per_status = {
        f"jobs_{status}": Count("jobs", filter=Q(jobs__status=status))
        for status in JobStatus.values
    }
    return (
        restrict(user, Deployment)
        .select_related("package")
        .prefetch_related(
            Prefetch("sites", Site.objects.only("pk")),
            Prefetch("rooms", Room.objects.only("pk")),
            Prefetch("devices", Device.objects.only("pk")),
        )
        .annotate(**per_status)
    )


class DeploymentFilter(Schema):
    package: int | None = None
    state: Deployment.State | None = None


@router.get("/deployments", response=list[DeploymentOut], summary="Deployments, newest first")
@paginate(Pages)
def deployment_list(request: HttpRequest, filters: Query[DeploymentFilter]) -> QuerySet[Deployment]:
    deployments = deployment_rows(user_of(request))
    if filters.package is not None:
        deployments = deployments.filter(package_id=filters.package)
    if filters.state:
        deployments = deployments.filter(state=filters.state)
    return deployments.order_by("-created_at", "-pk")


def deployment_out(user: Any, deployment: Deployment) -> Deployment:
    """The deployment with ``progress``: where each device it reaches stands."""
    devices = progress.devices_of(deployment, restrict(user, Device))
    counts = progress.progress_of(devices).counts
    deployment.progress = {  # type: ignore[attr-defined]
        **{status: counts.get(status, 0) for status in (progress.NOT_ASKED, *JobStatus.values)},
        "total": sum(counts.values()),
    }
    return deployment


@router.get(
    "/deployments/{id}", response=DeploymentDetailOut, summary="A deployment and its progress"
)
def deployment_detail(request: HttpRequest, id: int) -> Deployment:
    user = user_of(request)
    return deployment_out(user, get_or_404(user, deployment_rows(user), pk=id))


@router.post(
    "/deployments", response={201: DeploymentDetailOut}, summary="Deploy a package to a target"
)
def deployment_create(request: HttpRequest, data: DeploymentIn) -> Status:
    user = user_of(request)
    managed(user)
    package = restrict(user, Package, CHANGE).filter(pk=data.package_id).first()
    if package is None:
        raise HttpError(422, _("package_id: nothing you may choose has this id."))
    try:
        made = deployments.create_deployment(
            user,
            package,
            sites=data.sites,
            rooms=data.rooms,
            kinds=data.kinds,
            devices=data.devices,
            request=request,
        )
    except ValidationError as error:
        raise refused(error) from None
    return Status(201, deployment_out(user, deployment_rows(user).get(pk=made.pk)))


@router.get(
    "/deployments/{id}/devices",
    response=list[DeviceJobOut],
    summary="Each device a deployment reaches, with its job",
)
@paginate(Pages)
def deployment_devices(
    request: HttpRequest,
    id: int,
    status: str | None = Query(None, description="A job status, or not_asked"),
) -> QuerySet[Device]:
    user = user_of(request)
    deployment = get_or_404(user, Deployment, pk=id)
    if status and status != progress.NOT_ASKED and status not in JobStatus.values:
        raise HttpError(422, _("status: not a job status (nor not_asked)."))
    devices = progress.devices_of(deployment, restrict(user, Device))
    if status:
        devices = progress.filter_status(devices, status)
    job = DeploymentJob.objects.filter(deployment=deployment, device=OuterRef("pk"))
    return devices.annotate(
        job_id=Subquery(job.values("pk")[:1]),
        job_step=Subquery(job.values("step")[:1]),
        job_message=Subquery(job.values("message")[:1]),
        job_started_at=Subquery(job.values("started_at")[:1]),
        job_finished_at=Subquery(job.values("finished_at")[:1]),
    ).order_by("hostname", "pk")


@router.get("/jobs/{id}", response=JobDetailOut, summary="One device's job and its reports")
def job_detail(request: HttpRequest, id: int) -> DeploymentJob:
    user = user_of(request)
    return get_or_404(user, DeploymentJob.objects.select_related("device"), pk=id)
