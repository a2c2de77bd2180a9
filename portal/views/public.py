"""The public portal: home, researchers, research units, research output."""

from __future__ import annotations

from typing import TypeVar

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject

from portal import content, cv, jsonld
from portal.caching import profile_generation
from portal.choices import OutputType
from portal.forms import OutputSearchForm, PersonSearchForm
from portal.models import OrgUnit, Person, ResearchOutput
from portal.panels import render_panels
from portal.queries import (
    load_profile_details,
    outputs_of_person,
    outputs_of_units,
    persons_in_units,
    profile_persons,
    public_identifiers,
    public_outputs,
    search_outputs,
    search_persons,
    unit_and_descendant_ids,
    unit_tree,
    with_listing_details,
)
from portal.views.identifier_links import identifier_rows, output_identifier_rows

PERSONS_PER_PAGE = 20


_M = TypeVar("_M", bound=Model)


def paged(request: HttpRequest, items: QuerySet[_M], per_page: int) -> Page[_M]:
    """One page of a list; a missing, malformed or too-high page number gives a real page."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def home(request: HttpRequest) -> HttpResponse:
    recent = with_listing_details(public_outputs())[:5]
    return render(
        request,
        "portal/public/home.html",
        {
            "recent_outputs": recent,
            "person_count": Person.objects.count(),
            "unit_count": OrgUnit.objects.count(),
            "output_count": public_outputs().count(),
            "search_form": PersonSearchForm(),
            "panels": render_panels("home", request, None),
        },
    )


def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET)
    unit = None
    text = ""
    if form.is_valid():
        text = form.cleaned_data["q"]
        if form.cleaned_data["unit"]:
            unit = OrgUnit.objects.filter(slug=form.cleaned_data["unit"]).first()
    persons = search_persons(text, unit)
    return render(
        request,
        "portal/public/person_list.html",
        {
            "form": form,
            "page": paged(request, persons, PERSONS_PER_PAGE),
            "units": OrgUnit.objects.order_by("name"),
            "selected_unit": unit,
            "query": text,
        },
    )


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The public profile. What every reader sees alike is cached (see portal.caching): the
    reads below are lazy, so a cached page runs none of them."""
    person = get_object_or_404(Person, slug=slug)
    positions = SimpleLazyObject(lambda: list(load_profile_details(person).positions.all()))
    shown = SimpleLazyObject(lambda: public_identifiers(load_profile_details(person)))
    return render(
        request,
        "portal/public/person_detail.html",
        {
            "person": person,
            "positions": positions,
            "identifiers": SimpleLazyObject(lambda: identifier_rows(shown)),
            "page": SimpleLazyObject(
                lambda: paged(request, outputs_of_person(person), settings.PORTAL_OUTPUTS_PER_PAGE)
            ),
            "jsonld": SimpleLazyObject(
                lambda: jsonld.person_script(request, person, list(positions), list(shown))
            ),
            "sections": SimpleLazyObject(
                lambda: content.sections(
                    lambda kind: kind.items_of_person(person.pk), f"person={person.slug}"
                )
            ),
            "cache_version": profile_generation(person.pk),
            "cache_query": request.GET.urlencode(),
        },
    )


def person_cv(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Download CV": the public profile as a Word document."""
    person = get_object_or_404(profile_persons(), slug=slug)
    outputs = outputs_of_person(person).order_by("-publication_year", "-publication_month", "-pk")
    content = cv.build(person, public_identifiers(person), outputs.iterator(chunk_size=500))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="CV-{person.slug}.docx"'
    return response


def unit_list(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/public/unit_list.html", {"units": unit_tree()})


def unit_detail(request: HttpRequest, slug: str) -> HttpResponse:
    unit = get_object_or_404(OrgUnit.objects.select_related("parent"), slug=slug)
    unit_ids = unit_and_descendant_ids(unit)
    persons = persons_in_units(unit_ids)
    outputs = outputs_of_units(unit_ids)
    return render(
        request,
        "portal/public/unit_detail.html",
        {
            "unit": unit,
            "sub_units": unit.children.order_by("name"),
            "persons": paged(request, persons, PERSONS_PER_PAGE),
            "recent_outputs": outputs[:10],
            "sections": content.sections(
                lambda kind: kind.items_of_units(unit_ids), f"unit={unit.slug}"
            ),
        },
    )


def output_list(request: HttpRequest) -> HttpResponse:
    form = OutputSearchForm(request.GET)
    text, year, output_type, unit = "", None, "", None
    if form.is_valid():
        text = form.cleaned_data["q"]
        year = form.cleaned_data["year"]
        output_type = (
            form.cleaned_data["type"] if form.cleaned_data["type"] in OutputType.values else ""
        )
        if form.cleaned_data["unit"]:
            unit = OrgUnit.objects.filter(slug=form.cleaned_data["unit"]).first()
    outputs = search_outputs(text, year, output_type, unit)
    return render(
        request,
        "portal/public/output_list.html",
        {
            "form": form,
            "page": paged(request, outputs, settings.PORTAL_OUTPUTS_PER_PAGE),
            "output_types": OutputType.choices,
            "selected_type": output_type,
            "units": OrgUnit.objects.order_by("name"),
            "selected_unit": unit,
        },
    )


def output_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        output: ResearchOutput = get_object_or_404(with_listing_details(public_outputs()), pk=pk)
    except Http404:
        # An output the Library merged into another: its address leads to the one that stayed.
        survivor = ResearchOutput.objects.filter(pk=pk).values_list("merged_into", flat=True)
        if survivor and survivor[0]:
            return redirect("portal:output-detail", pk=survivor[0])
        raise
    contributors = list(output.contributors.all())
    return render(
        request,
        "portal/public/output_detail.html",
        {
            "output": output,
            "contributors": contributors,
            "identifiers": output_identifier_rows(output.identifiers.all()),
            "jsonld": jsonld.output_script(request, output, contributors),
        },
    )
