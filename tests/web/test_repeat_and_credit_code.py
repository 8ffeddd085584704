"""Two checks of what is typed into the application forms (public and staff registration): a repeat of an
earlier application is warned about, not refused; a 统一社会信用代码 must carry its GB 32100-2015 check character."""

import pytest
from tests.web import test_public_pages as public
from tests.web import test_staff_registration as staff

from gongkai.web.cases.models import Application
from gongkai.web.public.identifiers import credit_code_check_character, credit_code_problem

# Codes printed on real business licences (their 18th character is the check character).
REAL_CODES = ["91330100799655058B", "91440300708461136T", "91110000600037341L"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_credit_codes_pass_and_any_other_check_character_fails(code):
    assert credit_code_check_character(code[:17]) == code[17] and credit_code_problem(code) is None
    for wrong in "0123456789ABCDEFGHJKLMNPQRTUWXY".replace(code[17], ""):
        assert "校验码不正确" in credit_code_problem(code[:17] + wrong)


def test_the_public_form_refuses_a_credit_code_with_a_wrong_check_character_in_chinese(world, client):
    response = client.post(public.APPLY, public.form_data(world, applicant_type="commercial",
                                                          applicant_id_number="91330100799655058C"))
    assert response.status_code == 400
    assert "统一社会信用代码的校验码不正确（按 GB 32100-2015，第 18 位应为 B）" in response.content.decode()
    assert not Application.objects.exists()
    _, number, _ = public.submit(client, public.form_data(world, applicant_type="commercial",
                                                          applicant_id_number="91330100799655058b"))
    assert Application.objects.get(number=number).applicant_id_number == "91330100799655058B"


def test_the_staff_form_refuses_it_too(world):
    _, response = staff.register_through_page(world, applicant_type="research",
                                              applicant_id_number="91440300708461136X")
    assert response.status_code == 400 and "第 18 位应为 T" in response.content.decode()
    assert not Application.objects.exists()


def test_a_repeat_on_the_public_form_is_warned_about_then_registered_when_confirmed(world, client):
    _, first, _ = public.submit(client, public.form_data(world))
    repeat = public.form_data(world, information_sought=" 2024年某路段拆迁补偿方案。\n")  # same request, typed again
    response = client.post(public.APPLY, repeat)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="repeat-warning"' in html
    assert "该机构已收到过同一申请人申请相同信息的申请" in html and first not in html  # no number given away
    assert 'name="confirm_repeat"' in html and Application.objects.count() == 1
    _, second, code = public.submit(client, {**repeat, "confirm_repeat": "on"})
    assert second and second != first and code and Application.objects.count() == 2
    # another request by the same person, or the same request by another person: no warning
    other = public.submit(client, public.form_data(world, information_sought="2023年部门预算"))
    assert other[1] and 'id="repeat-warning"' not in other[0].content.decode()
    someone_else = public.submit(client, public.form_data(world, applicant_id_number="110101199001011234"))
    assert someone_else[1] and Application.objects.count() == 4


def test_a_repeat_on_the_staff_form_names_the_earlier_cases_and_registers_when_confirmed(world):
    client, _ = staff.register_through_page(world)
    first = Application.objects.get()
    _, response = staff.register_through_page(world, client)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="repeat-warning"' in html
    assert f'href="/staff/cases/{first.pk}/">{first.number}</a>' in html and Application.objects.count() == 1
    _, response = staff.register_through_page(world, client, confirm_repeat="on")
    assert response.status_code == 302 and Application.objects.count() == 2
