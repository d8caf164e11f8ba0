"""Deployment writes in the fleet API: pause, resume, cancel, retry the failures (the
launch is with the reads in ``api_deploy``, on the same path as the list).

Each calls one function of ``deploy.services_deployments``; its ValidationError is the
API's 422.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router

from preau.core.access import CHANGE, get_or_404
from preau.fleet.api_base import refused, user_of
from preau.fleet.api_deploy import deployment_out, deployment_rows
from preau.fleet.deploy import services_deployments as deployments
from preau.fleet.models import Deployment
from preau.fleet.schemas_deploy import DeploymentDetailOut

router = Router(tags=["fleet"])


def _act(request: HttpRequest, id: int, action: Any) -> Deployment:
    user = user_of(request)
    found = get_or_404(user, Deployment.objects.select_related("package"), CHANGE, pk=id)
    try:
        action(found, actor=user, request=request)
    except ValidationError as error:
        raise refused(error) from None
    return deployment_out(user, deployment_rows(user).get(pk=id))


@router.post("/deployments/{id}/pause", response=DeploymentDetailOut, summary="Pause")
def deployment_pause(request: HttpRequest, id: int) -> Deployment:
    return _act(request, id, deployments.pause)


@router.post("/deployments/{id}/resume", response=DeploymentDetailOut, summary="Resume")
def deployment_resume(request: HttpRequest, id: int) -> Deployment:
    return _act(request, id, deployments.resume)


@router.post("/deployments/{id}/cancel", response=DeploymentDetailOut, summary="Cancel for good")
def deployment_cancel(request: HttpRequest, id: int) -> Deployment:
    return _act(request, id, deployments.cancel)


@router.post(
    "/deployments/{id}/retry", response=DeploymentDetailOut, summary="Run the failed jobs again"
)
def deployment_retry(request: HttpRequest, id: int) -> Deployment:
    return _act(request, id, deployments.retry_failed)
