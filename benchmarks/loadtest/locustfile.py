"""A province's peak mix for Locust (started by scripts/loadtest, never by hand on a server).

Every user class works on the plan written by benchmarks/loadtest/prepare.py:
sessions made the way a sign-in leaves them, disjoint desk queues, real
procedure ids and lookup tokens. Request names group URLs by page, so the
summary has one line per kind of request.
"""

from __future__ import annotations

import io
import json
import os
import random
from html.parser import HTMLParser
from itertools import count

from locust import HttpUser, between, constant, task

with open(os.environ.get("LOADTEST_PLAN", "var/loadtest/plan.json"), encoding="utf-8") as _plan:
    PLAN = json.load(_plan)
THINK = float(os.environ.get("LOADTEST_THINK_SECONDS", "1"))
_desk_slots = count()
_citizen_slots = count()


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = _pdf()


class _Forms(HTMLParser):
    """Every <form> of a page with the values a browser would send."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {"action": a.get("action", ""), "fields": {}, "files": [], "submits": []}
            )
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind == "file":
                self.forms[-1]["files"].append(name)
            elif kind in ("submit", "button"):
                self.forms[-1]["submits"].append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields[name] = a.get("value", "on")
            else:
                fields.setdefault(name, a.get("value", ""))
        elif tag == "button" and name:
            self.forms[-1]["submits"].append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if "selected" in a or (value and not fields.get(self._select)):
                fields[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            fields.setdefault(name, "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


def forms_of(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


class _SignedIn(HttpUser):
    abstract = True
    session_key = ""

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", self.session_key)


class BareView(HttpUser):
    """The reference: a Django view with no database work, through every middleware."""

    wait_time = constant(0)

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="bare view /healthz")


class CatalogueVisitor(HttpUser):
    weight = 40
    wait_time = between(THINK / 2, THINK * 1.5)

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(3)
    def catalogue(self) -> None:
        self.client.get("/thu-tuc/", name="catalogue list")

    @task(3)
    def search(self) -> None:
        self.client.get(
            "/thu-tuc/", params={"q": random.choice(PLAN["search_terms"])}, name="catalogue search"
        )

    @task(4)
    def procedure(self) -> None:
        self.client.get(f"/thu-tuc/{random.choice(PLAN['procedures'])}/", name="procedure page")


class StatusLookup(HttpUser):
    weight = 25
    wait_time = between(THINK / 2, THINK * 1.5)

    @task
    def lookup(self) -> None:
        self.client.get(
            f"/tra-cuu/{random.choice(PLAN['lookup_tokens'])}/", name="status lookup (QR)"
        )


class OnlineSubmitter(_SignedIn):
    """Start a dossier, upload every required paper, submit."""

    weight = 8
    wait_time = between(THINK, THINK * 2)

    def on_start(self) -> None:
        citizens = PLAN["citizens"]
        self.session_key = citizens[next(_citizen_slots) % len(citizens)]
        super().on_start()

    @task
    def submit(self) -> None:
        procedure = random.choice(PLAN["online_procedures"])
        start = f"/ho-so/nop/{procedure}/"
        page = self.client.get(start, name="submission: start page")
        form = next((f for f in forms_of(page.text) if "csrfmiddlewaretoken" in f["fields"]), None)
        if form is None:
            return
        draft = self.client.post(start, data=form["fields"], name="submission: create draft")
        if "/soan/" not in draft.url:
            return
        for upload in [f for f in forms_of(draft.text) if f["files"]]:
            if "/tai-len/" not in upload["action"]:
                continue
            self.client.post(
                upload["action"],
                data=upload["fields"],
                files={upload["files"][0]: ("don.pdf", PDF, "application/pdf")},
                name="submission: upload a paper (PDF)",
            )
        page = self.client.get(draft.url, name="submission: draft page")
        main = next(
            (f for f in forms_of(page.text) if any(v == "submit" for _n, v in f["submits"])), None
        )
        if main is None:
            return
        with self.client.post(
            draft.url,
            data={**main["fields"], "action": "submit"},
            name="submission: submit",
            catch_response=True,
        ) as response:
            if "/soan/" in response.url:
                response.failure("submission refused (still on the draft page)")


class DeskOfficer(_SignedIn):
    """Open the queue, check a waiting online dossier, receive it."""

    weight = 6
    wait_time = between(THINK, THINK * 2)

    def on_start(self) -> None:
        desks = PLAN["desk"]
        slot = desks[next(_desk_slots) % len(desks)]
        self.session_key = slot["session"]
        self.waiting = list(slot["dossiers"])
        super().on_start()

    @task
    def receive(self) -> None:
        self.client.get("/mot-cua/", name="desk queue")
        if not self.waiting:
            return
        pk = self.waiting.pop()
        page = self.client.get(f"/mot-cua/{pk}/kiem-tra/", name="desk check page")
        form = next((f for f in forms_of(page.text) if f["action"].endswith("/tiep-nhan/")), None)
        if form is None:
            return
        with self.client.post(
            form["action"], data=form["fields"], name="desk receive", catch_response=True
        ) as response:
            if "Đã tiếp nhận hồ sơ" not in response.text:
                response.failure("not received")


class Specialist(_SignedIn):
    weight = 10
    wait_time = between(THINK, THINK * 2)

    def on_start(self) -> None:
        self.session_key = random.choice(PLAN["specialists"])
        super().on_start()

    @task(3)
    def my_steps(self) -> None:
        page = self.client.get("/xu-ly/", params={"pham_vi": "cua-toi"}, name="worklist: my steps")
        self.opened = [a for a in page.text.split('href="') if a.startswith("/xu-ly/ho-so/")][:20]

    @task(2)
    def dossier(self) -> None:
        if getattr(self, "opened", None):
            link = random.choice(self.opened).split('"', 1)[0]
            self.client.get(link, name="processing: dossier page")


class Head(_SignedIn):
    weight = 5
    wait_time = between(THINK, THINK * 2)

    def on_start(self) -> None:
        self.session_key = random.choice(PLAN["heads"])
        super().on_start()

    @task
    def unit_queue(self) -> None:
        self.client.get("/xu-ly/", params={"pham_vi": "don-vi"}, name="worklist: unit queue")


class Dashboard(_SignedIn):
    weight = 1
    wait_time = between(THINK * 3, THINK * 6)

    def on_start(self) -> None:
        self.session_key = random.choice(PLAN["dashboard"])
        super().on_start()

    @task
    def dashboard(self) -> None:
        self.client.get("/chi-so-766/", name="766 dashboard")
