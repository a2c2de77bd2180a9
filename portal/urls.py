"""URLs of the Scholars portal: public pages, the researcher backend, the library console."""

from django.urls import path

from portal.views import (
    backend,
    cv_pdf,
    graph,
    jobs,
    library,
    outputs,
    public,
    search,
    validation,
)

app_name = "portal"

urlpatterns = [
    path("", public.home, name="home"),
    path("search/", search.search, name="search"),
    path("persons/", public.person_list, name="person-list"),
    path("persons/<slug:slug>/", public.person_detail, name="person-detail"),
    path("persons/<slug:slug>/cv.docx", public.person_cv, name="person-cv"),
    path("persons/<slug:slug>/cv.pdf", cv_pdf.person_cv_pdf, name="person-cv-pdf"),
    path("persons/<slug:slug>/graph/", graph.person_graph, name="person-graph"),
    path("persons/<slug:slug>/graph.json", graph.person_graph_json, name="person-graph-json"),
    path("units/", public.unit_list, name="unit-list"),
    path("units/<slug:slug>/", public.unit_detail, name="unit-detail"),
    path("units/<slug:slug>/graph/", graph.unit_graph, name="unit-graph"),
    path("units/<slug:slug>/graph.json", graph.unit_graph_json, name="unit-graph-json"),
    path("outputs/", public.output_list, name="output-list"),
    path("outputs/<int:pk>/", public.output_detail, name="output-detail"),
    path("outputs/<int:pk>/graph/", graph.output_graph, name="output-graph"),
    path("outputs/<int:pk>/graph.json", graph.output_graph_json, name="output-graph-json"),
    # The projects app's items; its own pages are under the same path (projects/<pk>/).
    path("projects/<int:pk>/graph/", graph.project_graph, name="project-graph"),
    path("projects/<int:pk>/graph.json", graph.project_graph_json, name="project-graph-json"),
    path("backend/login/", backend.StaffLoginView.as_view(), name="login"),
    path("backend/logout/", backend.StaffLogoutView.as_view(), name="logout"),
    path(
        "backend/password-reset/", backend.StaffPasswordResetView.as_view(), name="password-reset"
    ),
    path(
        "backend/password-reset/sent/",
        backend.StaffPasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "backend/password-reset/done/",
        backend.StaffPasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path(
        "backend/password-reset/<uidb64>/<token>/",
        backend.StaffPasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("backend/", backend.backend_home, name="backend-home"),
    path("backend/profile/edit/", backend.edit_own_profile, name="edit-own-profile"),
    path("backend/persons/<slug:slug>/edit/", backend.edit_person, name="edit-person"),
    path("backend/library/", library.console, name="library-console"),
    path("backend/outputs/", outputs.my_research_output, name="my-outputs"),
    path("backend/outputs/add/", outputs.choose_type, name="add-output"),
    path("backend/outputs/import/", outputs.import_file, name="output-import"),
    path("backend/outputs/import/<int:pk>/", outputs.import_batch, name="output-import-batch"),
    path("backend/outputs/add/<str:output_type>/", outputs.add_output, name="add-output-of-type"),
    path("backend/outputs/<int:pk>/", outputs.output_detail, name="my-output-detail"),
    path("backend/outputs/<int:pk>/edit/", outputs.edit_output, name="my-output-edit"),
    path("backend/outputs/<int:pk>/submit/", outputs.submit_output, name="my-output-submit"),
    path("backend/outputs/<int:pk>/withdraw/", outputs.withdraw_output, name="my-output-withdraw"),
    path("backend/outputs/<int:pk>/change/", outputs.request_change, name="my-output-change"),
    path("backend/outputs/<int:pk>/add-me/", outputs.add_me_as_author, name="my-output-add-me"),
    path("backend/library/validation/", validation.queue, name="validation-queue"),
    path("backend/outputs/<int:pk>/validate/", validation.validate, name="output-validate"),
    path(
        "backend/outputs/<int:pk>/return/",
        validation.return_to_researcher,
        name="output-return",
    ),
    path("backend/outputs/<int:pk>/merge/", validation.merge, name="output-merge"),
    path("backend/library/jobs/", jobs.job_runs, name="job-runs"),
    path("backend/persons/<slug:slug>/history/", library.history, name="person-history"),
    path(
        "backend/persons/<slug:slug>/identifiers/<int:pk>/status/",
        library.set_identifier_status,
        name="identifier-status",
    ),
]
