"""The create, edit and delete pages of one section of a programme, said once.

A section (the structure, the orders of a programme…) fixes what all its pages share —
the programme, the breadcrumbs, the page a save or a delete returns to — so that each
view says only what is its own: the record, the form, the service, the words. The pages
themselves are ``views_edit.form_page`` and ``views_edit.delete_page``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.http import HttpRequest, HttpResponse

from preau.programme.models import Programme
from preau.programme.views_edit import Crumbs, delete_page, form_page


def initial_of(record: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """A form's initial values: the record's own, field by field."""
    return {name: getattr(record, name) for name in names}


@dataclass(frozen=True)
class Section:
    programme: Programme
    crumbs: Crumbs
    landing: str  # where a delete returns, and a save unless ``page_of`` or a page says otherwise
    page_of: Callable[[Any], str] | None = None  # a saved record's page, where a save returns

    def form(
        self,
        request: HttpRequest,
        form: forms.Form,
        *,
        save: Callable[[], models.Model | None],
        title: str,
        saved: str,
        record: models.Model | None = None,
        delete_url: str = "",
        formset: forms.BaseFormSet[Any] | None = None,
        done: Callable[[models.Model | None], str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """A create page (no ``record``) or an edit page (``record``, and its
        ``delete_url`` if it may be deleted); see ``form_page``."""
        return form_page(
            request,
            form=form,
            save=save,
            title=title,
            programme=self.programme,
            crumbs=self.crumbs,
            done=done or self.page_of or (lambda _obj: self.landing),
            saved=saved,
            formset=formset,
            record=record,
            delete_url=delete_url,
            extra=extra,
        )

    def delete(
        self,
        request: HttpRequest,
        record: models.Model,
        *,
        delete: Callable[[], None],
        back: str,
        done: str = "",
    ) -> HttpResponse:
        """The confirmation, then the delete; ``back`` is the record's edit page."""
        return delete_page(
            request,
            record=record,
            delete=delete,
            programme=self.programme,
            crumbs=self.crumbs,
            back=back,
            done=done or self.landing,
        )
