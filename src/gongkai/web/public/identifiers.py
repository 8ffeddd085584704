"""统一社会信用代码 (GB 32100-2015): 18 characters whose last one is a check character.

The alphabet is the 10 digits and 21 capital letters without I, O, Z, S and V. Each of the
first 17 characters has a weight 3^(i) mod 31; the check character is the one whose value is
31 − (Σ value × weight mod 31), where 31 stands for 0.

>>> credit_code_check_character("91110000600037341")
'L'
"""

from __future__ import annotations

import re

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, …, 28
# 登记管理部门代码 and 机构类别代码 (2), 登记管理机关行政区划码 (6 digits), 主体标识码 (9), 校验码 (1).
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def credit_code_check_character(first_17: str) -> str:
    total = sum(ALPHABET.index(character) * weight for character, weight in zip(first_17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """Why ``code`` is not a 统一社会信用代码, in Chinese; None when it is one."""
    if not CREDIT_CODE.match(code):
        return "统一社会信用代码应为 18 位数字或大写字母（不使用 I、O、Z、S、V）"
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码的校验码不正确（按 GB 32100-2015，第 18 位应为 {expected}），请核对"
    return None
