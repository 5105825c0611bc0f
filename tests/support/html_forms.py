"""An admin form over HTTP as a browser sends it: the fields of the page's form, as rendered,
with some changed (for tests against a live server, where the test client's context is not
there)."""

from html.parser import HTMLParser


class FormFields(HTMLParser):
    """The successful controls of the first <form method="post"> on a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields, self.action = [], None
        self._in_form = self._done = False
        self._select = self._textarea = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v or "") for k, v in attrs}
        if tag == "form" and not self._done and attrs.get("method", "").lower() == "post":
            self._in_form, self.action = True, attrs.get("action", "")
        if not self._in_form:
            return
        if tag == "input":
            self._input(attrs)
        elif tag == "select" and "name" in attrs:
            self._select = [attrs["name"], None, attrs.get("multiple") is not None]
        elif tag == "option" and self._select is not None:
            self._option(attrs)
        elif tag == "textarea" and "name" in attrs:
            self._textarea, self._text = attrs["name"], []

    def _input(self, attrs):
        kind = attrs.get("type", "text").lower()
        if "name" not in attrs or kind in ("file", "submit", "button", "image", "reset"):
            return
        if kind in ("checkbox", "radio") and "checked" not in attrs:
            return
        self.fields.append((attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")))

    def _option(self, attrs):
        name, first, multiple = self._select
        value = attrs.get("value", "")
        if "selected" in attrs:
            self.fields.append((name, value))
            self._select[1] = "chosen"
        elif first is None and not multiple:
            self._select[1] = ("first", value)

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            name, first, _multiple = self._select
            if isinstance(first, tuple):
                self.fields.append((name, first[1]))  # a browser sends the first option
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)


def form_data(html, **changes):
    """{name: value or [values]} of the page's post form, with `changes` applied (None drops)."""
    parser = FormFields()
    parser.feed(html)
    data = {}
    for name, value in parser.fields:
        if name in data:
            data[name] = [*([data[name]] if isinstance(data[name], str) else data[name]), value]
        else:
            data[name] = value
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data
