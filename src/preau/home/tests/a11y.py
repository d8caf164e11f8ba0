"""The accessibility audit of a page (test_accessibility*.py): axe-core's serious and critical
WCAG 2.1 A/AA problems, the references axe only marks "to review", and other hosts."""

from __future__ import annotations

from typing import Any

from preau.testing.browser import PHONE, Session, accessibility_problems, open_as

# axe-core only asks for a review when aria-describedby names a missing element (Django
# adds "<id>_helptext" and "<id>_error" to a field that has help or errors: a template
# that renders them by hand must keep those ids) or when two elements share an id.
BROKEN_REFERENCES = """() => {
  const found = [];
  const seen = new Set();
  for (const el of document.querySelectorAll('[id]')) {
    if (seen.has(el.id)) found.push(`duplicate id ${el.id}`);
    seen.add(el.id);
  }
  for (const attr of ['aria-describedby', 'aria-labelledby', 'for']) {
    for (const el of document.querySelectorAll(attr === 'for' ? 'label[for]' : `[${attr}]`)) {
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) found.push(`${attr}=${id}: no such element`);
      }
    }
  }
  return found;
}"""


def problems(session: Session, name: str) -> list[str]:
    """What is wrong on the page for assistive technologies (every disclosure opened), and
    every request to another host: empty when all is well. ``name`` names the screenshot
    (PREAU_SCREENSHOTS)."""
    session.page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    session.shot(f"a11y-{name}")
    found = accessibility_problems(session.page)
    return found + session.page.evaluate(BROKEN_REFERENCES) + session.elsewhere


def audit(session: Session, url: str, name: str) -> list[str]:
    """``problems()`` of the page at ``url``."""
    response = session.page.goto(url)
    assert response is not None, url
    assert response.status == 200, url
    return problems(session, name)


def audit_refused(session: Session, url: str, name: str) -> list[str]:
    """``problems()`` of the form at ``url`` sent empty, as the server returns it with its
    errors (the browser's own checks are off, as in a browser that has none)."""
    session.page.goto(url)
    session.page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    form = session.page.locator("main form[method=post]").last
    with session.page.expect_navigation() as navigation:
        form.locator("button[type=submit]").last.click()
    assert navigation.value.status in (200, 400), url
    assert session.page.url == url  # the form again, with its errors
    return problems(session, name)


def anonymous(browser: Any, live_server: Any) -> Session:
    """A phone with nobody logged in, recording requests to other hosts."""
    context = browser.new_context(locale="en-GB", viewport=PHONE)
    session = Session(page=context.new_page(), context=context)
    session.page.on(
        "request",
        lambda r: None if r.url.startswith(live_server.url) else session.elsewhere.append(r.url),
    )
    return session


def audit_as(
    browser: Any, live_server: Any, user: Any, path: str, name: str, *, refused: bool = False
) -> list[str]:
    """``audit`` (or ``audit_refused``) of ``path`` on a phone, logged in as ``user``."""
    session = open_as(browser, live_server, user, PHONE)
    try:
        url = live_server.url + path
        if refused:
            return audit_refused(session, url, f"refused-{name}")
        return audit(session, url, name)
    finally:
        session.context.close()
