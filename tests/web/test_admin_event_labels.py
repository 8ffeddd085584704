"""The admin's event lists name steps and states as the staff pages do, never by internal keys."""

import re
from datetime import date

from gongkai.web.disclosure.models import Article20Item, Genre
from gongkai.web.disclosure.services import publication_create


def cells(html: str, column: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(rf'<td class="field-{column}">(.*?)</td>', html, re.S)]


def test_an_applications_events_read_in_chinese(world, admin_client):
    application = world.register().application
    html = admin_client.get(f"/admin/cases/application/{application.pk}/change/").content.decode()
    assert cells(html, "action_shown") == ["登记申请"]
    assert cells(html, "to_state_shown") == [application.get_state_display()]
    assert ">register<" not in html and ">registered<" not in html


def test_a_publications_events_read_in_chinese(world, admin_client):
    publication = publication_create(agency=world.street, acting_user=world.users["handler"], title="通知",
                                     genre=Genre.NORMATIVE_DOCUMENT, article20_item=Article20Item.REGULATIONS,
                                     formed_on=date(2024, 9, 2), body="正文")
    html = admin_client.get(f"/admin/disclosure/publication/{publication.pk}/change/").content.decode()
    assert cells(html, "action_shown") == ["撰写"]
    assert cells(html, "to_state_shown") == [publication.get_state_display()]
