"""schema.org JSON-LD for profile and output pages, so search engines and harvesters read them."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

import identifiers
from portal.models import Contributor, Person, PersonIdentifier, Position, ResearchOutput
from portal.views.identifier_links import OUTPUT_SCHEMES, link_for

# Characters that could end the <script> element or open markup inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def to_script(data: dict[str, Any]) -> SafeString:
    """JSON safe to place inside <script type="application/ld+json"> whatever the data holds."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 - every character that could break out is escaped above


def person_data(
    request: HttpRequest,
    person: Person,
    positions: list[Position],
    person_identifiers: list[PersonIdentifier],
) -> dict[str, Any]:
    """A schema.org Person: names, affiliation, identifiers and the profiles it is the same as."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Person",
        "@id": request.build_absolute_uri(person.get_absolute_url()),
        "url": request.build_absolute_uri(person.get_absolute_url()),
        "name": person.display_name,
        "givenName": person.given_names,
        "familyName": person.family_name,
    }
    if person.native_name:
        data["alternateName"] = person.native_name
    if person.email:
        data["email"] = person.email
    if positions:
        data["jobTitle"] = positions[0].get_role_display()
        data["affiliation"] = [
            {"@type": "Organization", "name": position.org_unit.name} for position in positions
        ]
    same_as, property_values = [], []
    for item in person_identifiers:
        scheme = identifiers.Scheme(item.id_type)
        url = link_for(scheme, item.value)
        if url:
            same_as.append(url)
        property_values.append(
            {"@type": "PropertyValue", "propertyID": scheme.label, "value": item.value}
        )
    same_as += [link.url for link in person.links.all()]
    if same_as:
        data["sameAs"] = same_as
    if property_values:
        data["identifier"] = property_values
    return data


def person_script(
    request: HttpRequest,
    person: Person,
    positions: list[Position],
    person_identifiers: list[PersonIdentifier],
) -> SafeString:
    """The profile page's JSON-LD."""
    return to_script(person_data(request, person, positions, person_identifiers))


def output_data(
    request: HttpRequest, output: ResearchOutput, contributors: list[Contributor]
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "@id": request.build_absolute_uri(output.get_absolute_url()),
        "url": request.build_absolute_uri(output.get_absolute_url()),
        "headline": output.title[:110],
        "name": output.title,
        "datePublished": str(output.publication_year),
        "author": [
            {
                "@type": "Person",
                "name": f"{contributor.given_names} {contributor.family_name}".strip(),
                **(
                    {"url": request.build_absolute_uri(contributor.person.get_absolute_url())}
                    if contributor.person is not None
                    else {}
                ),
            }
            for contributor in contributors
        ],
    }
    if output.host_title:
        data["isPartOf"] = {"@type": "Periodical", "name": output.host_title}
    if output.abstract:
        data["abstract"] = output.abstract
    ids = []
    for item in output.identifiers.all():
        ids.append({"@type": "PropertyValue", "propertyID": item.id_type, "value": item.value})
        scheme = OUTPUT_SCHEMES.get(item.id_type)
        if scheme is identifiers.Scheme.DOI:
            data["sameAs"] = link_for(scheme, item.value)
    if ids:
        data["identifier"] = ids
    return data


def output_script(
    request: HttpRequest, output: ResearchOutput, contributors: list[Contributor]
) -> SafeString:
    return to_script(output_data(request, output, contributors))
