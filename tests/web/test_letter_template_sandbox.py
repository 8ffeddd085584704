"""Letter templates render in a sandbox: only known filters, bounded arguments, bounded text."""

import pytest
from django.core.exceptions import ValidationError
from tests.web.test_answer_letters import drafted

from gongkai.web.cases.letters.body import MAX_BODY_CHARS, MAX_RENDERED_CHARS, validate_body
from gongkai.web.cases.letters.compose import compose_letter
from gongkai.web.cases.models import Application, ReplyTemplate


def refusal(body) -> str:
    with pytest.raises(ValidationError) as refused:
        validate_body(body)
    return "；".join(refused.value.messages)


@pytest.mark.parametrize(("body", "message"), [
    ('{{ applicant_name|ljust:"100000000" }}', "不支持过滤器「ljust」"),
    ('{{ applicant_name|center:"100000000" }}', "不支持过滤器「center」"),
    ('{{ fee_amount|stringformat:"100000000s" }}', "不支持过滤器「stringformat」"),
    ('{% if note|rjust:"100000000" %}x{% endif %}', "不支持过滤器「rjust」"),
    ('{{ fee_amount|floatformat:"100000000" }}', "「floatformat」的参数不能超过 6"),
])
def test_filters_that_can_blow_up_the_text_are_refused_on_save(body, message):
    assert message in refusal(body)


def test_the_allowed_filters_still_work():
    validate_body('{{ received_on|date:"Y年n月j日" }}{{ note|default:"无" }}{{ fee_amount|floatformat:2 }}'
                  '{{ applicant_name|upper }}')


def test_a_body_too_long_is_refused_on_save():
    assert f"不能超过 {MAX_BODY_CHARS} 个字符" in refusal("字" * (MAX_BODY_CHARS + 1))


def test_a_letter_whose_text_would_grow_too_long_is_refused(world):
    """Fine on the short sample data, too long once a 2,000-character request fills every copy."""
    body = "{{ information_sought }}" * (MAX_BODY_CHARS // len("{{ information_sought }}"))
    ReplyTemplate.objects.create(agency=world.street, kind="granted", body=body)
    application = drafted(world, "granted")
    Application.objects.filter(pk=application.pk).update(information_sought="某" * 2000)
    application.refresh_from_db()
    with pytest.raises(ValidationError, match=f"超过 {MAX_RENDERED_CHARS} 个字符"):
        compose_letter(application, "reply")


def test_a_template_stored_before_the_sandbox_is_refused_when_a_letter_is_made(world):
    application = drafted(world, "granted")
    template = ReplyTemplate.objects.create(agency=world.street, kind="granted", body="{{ number }}")
    ReplyTemplate.objects.filter(pk=template.pk).update(body='{{ applicant_name|ljust:"100000000" }}')
    with pytest.raises(ValidationError, match="ljust"):
        compose_letter(application, "reply")


def test_the_download_page_says_why_instead_of_failing(world):
    from django.test import Client

    application = drafted(world, "granted")
    template = ReplyTemplate.objects.create(agency=world.street, kind="granted", body="{{ number }}")
    ReplyTemplate.objects.filter(pk=template.pk).update(body='{{ applicant_name|ljust:"100000000" }}')
    client = Client()
    client.force_login(world.users["handler"])
    response = client.get(f"/staff/cases/{application.pk}/letters/reply.pdf", follow=True)
    assert "本机构的答复文书模板无法使用" in response.content.decode() and "ljust" in response.content.decode()
