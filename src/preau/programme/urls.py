from django.urls import path

from preau.programme import urls_chain, urls_claims, urls_data, views, views_rollout

app_name = "programme"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.detail, name="detail"),
    path("rollout/", views_rollout.rollout_index, name="rollout_index"),
    path("<int:pk>/rollout/", views_rollout.rollout, name="rollout"),
    path("<int:pk>/rollout/site/<int:site_pk>/", views_rollout.site_rollout, name="site_rollout"),
    path("milestone/<int:pk>/", views_rollout.update_milestone, name="update_milestone"),
    *urls_chain.urlpatterns,
    *urls_claims.urlpatterns,
    *urls_data.urlpatterns,
]
