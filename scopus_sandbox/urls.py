"""URLs of the Scopus sandbox: the API under /content/, the web pages elsewhere."""

from django.urls import path, re_path

from scopus_sandbox import api, views
from scopus_sandbox import wizard as orcid_wizard

app_name = "scopus_sandbox"

urlpatterns = [
    path("content/author/author_id/<str:author_id>", api.author_by_id, name="api-author"),
    path("content/author/eid/<str:eid>", api.author_by_eid, name="api-author-eid"),
    path("content/author/orcid/<str:orcid>", api.author_by_orcid, name="api-author-orcid"),
    path("content/author", api.author_by_ids, name="api-authors"),
    path("content/search/author", api.author_search, name="api-author-search"),
    path("content/search/scopus", api.scopus_search, name="api-scopus-search"),
    path(
        "content/affiliation/affiliation_id/<str:afid>",
        api.affiliation_by_id,
        name="api-affiliation",
    ),
    re_path(
        # A DOI keeps its slashes in the path, as Scopus's links and clients write it.
        r"^content/abstract/(?P<id_type>eid|scopus_id|doi|pubmed_id|pii)/(?P<identifier>.+)$",
        api.abstract,
        name="api-abstract",
    ),
    re_path(r"^content/(?P<rest>.*)$", api.unknown_resource, name="api-unknown"),
    path("", views.document_search, name="document-search"),
    path("documents/<str:eid>/", views.document_detail, name="document"),
    path("authors/", views.author_search, name="author-search"),
    path("authors/<str:author_id>/", views.author_profile, name="author"),
    # The URL forms real Scopus links use, so links built for scopus.com work on the sandbox.
    path("authid/detail.uri", views.scopus_author_link, name="scopus-author-link"),
    path("inward/authorDetails.url", views.scopus_author_link),
    path("record/display.uri", views.scopus_document_link, name="scopus-document-link"),
    path("inward/record.url", views.scopus_document_link),
    path("results/authorNamesList.uri", views.scopus_author_search_link),
    path("authors/<str:author_id>/edit", views.edit_profile, name="edit-profile"),
    path("authors/<str:author_id>/orcid", orcid_wizard.connect, name="connect-orcid"),
    path("orcid/signin", orcid_wizard.sign_in, name="orcid-signin"),
    path("orcid/callback", orcid_wizard.callback, name="orcid-callback"),
    path("orcid/wizard/profiles", orcid_wizard.choose_profiles, name="wizard-profiles"),
    path("orcid/wizard/name", orcid_wizard.choose_name, name="wizard-name"),
    path("orcid/wizard/documents", orcid_wizard.review_documents, name="wizard-documents"),
    path("orcid/wizard/review", orcid_wizard.review_profile, name="wizard-review"),
    path("orcid/wizard/send", orcid_wizard.send_author_id, name="wizard-send"),
    path("orcid/wizard/works", orcid_wizard.send_works, name="wizard-works"),
]
