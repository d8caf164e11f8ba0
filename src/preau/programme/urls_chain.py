"""URLs of the programme's structure and chain pages, added to the app's URL map by
``urls.py``. A ``<pk>`` after the app's root is a programme's; after a record's name
("order/", "invoice/"…) it is that record's."""

from __future__ import annotations

from django.urls import URLPattern, path

from preau.programme import (
    views_chain,
    views_contracts,
    views_files,
    views_invoices,
    views_structure,
    views_suppliers,
)

s, c, o, i = views_structure, views_contracts, views_chain, views_invoices
su = views_suppliers

urlpatterns: list[URLPattern] = [
    # Structure
    path("<int:pk>/structure/", s.structure, name="structure"),
    path("<int:pk>/structure/edit/", s.programme_edit, name="programme_edit"),
    path("<int:pk>/structure/funding/", su.funding_edit, name="funding_edit"),
    path("<int:pk>/structure/axis/new/", s.axis_create, name="axis_create"),
    path("axis/<int:pk>/edit/", s.axis_edit, name="axis_edit"),
    path("axis/<int:pk>/delete/", s.axis_delete, name="axis_delete"),
    path("axis/<int:pk>/objective/new/", s.objective_create, name="objective_create"),
    path("objective/<int:pk>/edit/", s.objective_edit, name="objective_edit"),
    path("objective/<int:pk>/delete/", s.objective_delete, name="objective_delete"),
    path("objective/<int:pk>/line/new/", s.line_create, name="line_create"),
    path("line/<int:pk>/edit/", s.line_edit, name="line_edit"),
    path("line/<int:pk>/delete/", s.line_delete, name="line_delete"),
    path("<int:pk>/supplier/new/", su.supplier_create, name="supplier_create"),
    path("<int:pk>/supplier/<int:supplier_pk>/edit/", su.supplier_edit, name="supplier_edit"),
    path("<int:pk>/supplier/<int:supplier_pk>/delete/", su.supplier_delete, name="supplier_delete"),
    # Public contracts
    path("<int:pk>/contracts/", c.contracts, name="contracts"),
    path("<int:pk>/contracts/new/", c.contract_create, name="contract_create"),
    path("contract/<int:pk>/", c.contract_detail, name="contract_detail"),
    path("contract/<int:pk>/edit/", c.contract_edit, name="contract_edit"),
    path("contract/<int:pk>/delete/", c.contract_delete, name="contract_delete"),
    # Orders and deliveries
    path("<int:pk>/orders/", o.orders, name="orders"),
    path("<int:pk>/orders/new/", o.order_create, name="order_create"),
    path("order/<int:pk>/", o.order_detail, name="order_detail"),
    path("order/<int:pk>/edit/", o.order_edit, name="order_edit"),
    path("order/<int:pk>/delete/", o.order_delete, name="order_delete"),
    path("order/<int:pk>/delivery/new/", o.delivery_create, name="delivery_create"),
    path("delivery/<int:pk>/edit/", o.delivery_edit, name="delivery_edit"),
    path("delivery/<int:pk>/delete/", o.delivery_delete, name="delivery_delete"),
    # Invoices
    path("<int:pk>/invoices/", i.invoices, name="invoices"),
    path("<int:pk>/invoices/new/", i.invoice_create, name="invoice_create"),
    path("invoice/<int:pk>/", i.invoice_detail, name="invoice_detail"),
    path("invoice/<int:pk>/edit/", i.invoice_edit, name="invoice_edit"),
    path("invoice/<int:pk>/pay/", i.invoice_pay, name="invoice_pay"),
    path("invoice/<int:pk>/delete/", i.invoice_delete, name="invoice_delete"),
    # Documents
    path("attachment/<int:pk>/", views_files.download, name="attachment"),
    path("attachment/<int:pk>/trash/", views_files.trash, name="attachment_trash"),
    path("attach/<str:target>/<int:pk>/", views_files.attach, name="attach"),
]
