"""What the browser tests share: the test password, screenshots at both widths, a staff login, a step."""

from .conftest import DESKTOP, PHONE

PASSWORD = "correct-horse-battery"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Shots:
    """Full-page screenshots of a page at the phone and the desktop width, kept in ``paths``.

    With ``fit=True`` each width is first checked to need no horizontal scrolling of the page
    (a wide table may scroll inside its own box, the page may not).
    """

    def __init__(self, directory):
        self.directory = directory
        self.paths = []

    def take(self, page, name, *, fit=False):
        for label, size in [("phone", PHONE), ("desktop", DESKTOP)]:
            page.set_viewport_size(size)
            if fit:
                width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                assert width <= inner, f"{name} scrolls sideways at {size['width']} px: {width} > {inner}"
            path = self.directory / f"{name}-{label}.png"
            page.screenshot(path=str(path), full_page=True)
            self.paths.append(path)
        page.set_viewport_size(DESKTOP)


def staff_page(browser, base, username, start="/staff/", password=PASSWORD):
    """A new browser context logged in as ``username`` through the login page, at ``start``."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}{start}")
    assert "/staff/login/" in page.url
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}{start}")
    return context, page


def follow(page, target):
    """Click a link or button and return once the page it leads to has loaded.

    A bare ``click()`` may return while the old page is still in place, so a query that does not
    wait (``count()``, ``all()``) or finds the same element on both pages would read the old one.
    """
    locator = page.locator(target) if isinstance(target, str) else target
    with page.expect_navigation():
        locator.click()


def take_step(page, step, fields=None):
    """Fill a case step's fields, press its button, and expect the success message."""
    for selector, value in (fields or {}).items():
        if selector.endswith("outcome"):
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    follow(page, f'button[name="step"][value="{step}"]')
    assert page.locator(".messages li.success").count() == 1, page.locator(".messages").inner_text()
