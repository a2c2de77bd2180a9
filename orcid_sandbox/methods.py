"""HTTP methods every page and API address answers alike: HEAD is GET without the body.

Views treat HEAD as GET (they branch on POST only, and the API routes HEAD to its GET
handlers); `answers_head` then keeps the status and headers, states the GET body's length
and drops the body (RFC 9110 §9.3.2), whichever server runs the app.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.core.handlers.exception import response_for_exception
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def without_body(response: HttpResponse) -> HttpResponse:
    """The answer to HEAD: the GET answer's status, headers and length, no body."""
    if not response.streaming:
        response["Content-Length"] = str(len(response.content))
        response.content = b""
    return response


def answers_head(view: View) -> View:
    """Let a GET view answer HEAD too, without a body."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.method != "HEAD":
            return view(request, *args, **kwargs)
        try:
            response = view(request, *args, **kwargs)
        except Exception as error:  # noqa: BLE001 - turned into Django's own error answer
            # Http404, PermissionDenied … become their error pages here rather than further
            # out, so that those lose their bodies too.
            response = response_for_exception(request, error)
        return without_body(response)

    return wrapper
