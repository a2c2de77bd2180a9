"""URLs of the Scholars portal: public pages, the researcher backend, the library console."""

from django.urls import path

from portal.views import backend, library, public

app_name = "portal"

urlpatterns = [
    path("", public.home, name="home"),
    path("persons/", public.person_list, name="person-list"),
    path("persons/<slug:slug>/", public.person_detail, name="person-detail"),
    path("persons/<slug:slug>/cv.docx", public.person_cv, name="person-cv"),
    path("units/", public.unit_list, name="unit-list"),
    path("units/<slug:slug>/", public.unit_detail, name="unit-detail"),
    path("outputs/", public.output_list, name="output-list"),
    path("outputs/<int:pk>/", public.output_detail, name="output-detail"),
    path("backend/login/", backend.StaffLoginView.as_view(), name="login"),
    path("backend/logout/", backend.StaffLogoutView.as_view(), name="logout"),
    path("backend/", backend.backend_home, name="backend-home"),
    path("backend/profile/edit/", backend.edit_own_profile, name="edit-own-profile"),
    path("backend/persons/<slug:slug>/edit/", backend.edit_person, name="edit-person"),
    path("backend/library/", library.console, name="library-console"),
    path("backend/persons/<slug:slug>/history/", library.history, name="person-history"),
    path(
        "backend/persons/<slug:slug>/identifiers/<int:pk>/status/",
        library.set_identifier_status,
        name="identifier-status",
    ),
]
