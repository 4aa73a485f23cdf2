"""The forms of an HTML page with the values a browser would send (no JavaScript)."""

from __future__ import annotations

from html.parser import HTMLParser


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
            elif kind == "checkbox":
                if "checked" in a:
                    fields[name] = a.get("value", "on")
            elif kind == "radio":
                # A person answers a radio group: the checked choice, else the first.
                if "checked" in a or name not in fields:
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
