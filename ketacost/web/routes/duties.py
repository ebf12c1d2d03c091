"""Today's duties: what ``ketacost gfe due`` lists (the Good Faith Estimates owed, overdue
first, and those to renew), each owed one a click away from its form. Asked for
``application/json``, the same document as ``gfe due --format json``."""

from __future__ import annotations

import os

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ketacost.gfe.due import OpenDuty, Renewal, duties, duties_data
from ketacost.report.to_data import dumps
from ketacost.store import NoLog, StoreError, default_path
from ketacost.web.app import front_desk, settings_of
from ketacost.web.log import opened
from ketacost.web.pages import render


async def due(request: Request) -> Response:
    settings = settings_of(request)
    owed: list[OpenDuty] = []
    renew: list[Renewal] = []
    damaged: list[tuple[str, str]] = []
    problem = None
    target = settings.db or default_path()
    try:
        if isinstance(target, str) or os.path.lexists(target):
            with opened(target, write=False) as log:
                entries = log.entries(
                    limit=None,
                    newest_first=False,
                    damaged=lambda bad: damaged.append((bad.id, bad.reason)),
                )
                owed, renew = duties(entries, settings.today(), lambda i, r: damaged.append((i, r)))
    except NoLog:
        pass  # nothing saved yet: nothing owed
    except StoreError as error:
        problem = str(error)
    if "application/json" in request.headers.get("accept", ""):
        return Response(dumps(duties_data(owed, renew)), media_type="application/json")
    values = {"owed": owed, "renew": renew, "damaged": damaged, "problem": problem}
    return render(request, "due.html", values)


routes = [Route("/due", front_desk(due), methods=["GET"])]
