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
from itertools import count

from locust import HttpUser, between, constant, task

from benchmarks.loadtest.forms import forms_of

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
FILLED = {"request_content": "Đề nghị giải quyết theo quy định.", "note": ""}


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


class CataloguePage(HttpUser):
    """The catalogue's first page alone, at full speed (compared with the bare view)."""

    wait_time = constant(0)

    @task
    def catalogue(self) -> None:
        self.client.get("/thu-tuc/", name="catalogue page alone")


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
        form = next((f for f in forms_of(page.text) if f["action"] in ("", start)), None)
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
        main = next((f for f in forms_of(page.text) if f["action"].endswith("/soan/")), None)
        if main is None:
            return
        # What a citizen types where the e-form has no default.
        fields = {name: value or FILLED.get(name, value) for name, value in main["fields"].items()}
        with self.client.post(
            draft.url,
            data={**fields, "action": "submit"},
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
