"""How the API refuses: a 422 that names the field in Chinese, and the error responses of every operation
written into the OpenAPI document from one rule (so an operation added later is documented too)."""

from __future__ import annotations

WRITE_METHODS = {"post", "put", "patch", "delete"}
ERROR_DESCRIPTIONS = {
    401: "未登录",
    403: "无权执行此操作（岗位或机构不符）",
    404: "对象不存在或不在您可查看的范围内",
    409: "当前状态不允许此操作，或数据未通过校验",
    422: "参数无效：detail 中每一项的 loc 指出参数，msg 说明原因",
}
_DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
_INVALID = {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "array", "items": {
    "type": "object", "properties": {"loc": {"type": "array", "items": {"type": "string"}},
                                     "msg": {"type": "string"}, "type": {"type": "string"}}}}}}

_PLACES = {"path": "路径参数", "query": "查询参数", "body": "请求体字段"}
_REASONS = {
    "greater_than_equal": "应不小于 {ge}", "less_than_equal": "应不大于 {le}",
    "greater_than": "应大于 {gt}", "less_than": "应小于 {lt}",
    "int_parsing": "应为整数", "int_from_float": "应为整数", "int_type": "应为整数",
    "bool_parsing": "应为 true 或 false", "bool_type": "应为 true 或 false",
    "missing": "必须填写", "string_too_long": "最多 {max_length} 个字符", "string_type": "应为文字",
    "json_invalid": "不是有效的 JSON", "model_attributes_type": "应为 JSON 对象", "dict_type": "应为 JSON 对象",
}


def error_in_chinese(error: dict) -> dict:
    """One pydantic error as ``{"loc": [...], "type": ..., "msg": "查询参数 agency_id 应不大于 …"}``."""
    loc = [str(part) for part in error.get("loc", ())]
    place = _PLACES.get(loc[0], "参数") if loc else "参数"
    reason = _REASONS.get(error.get("type", ""), "无效")
    try:
        reason = reason.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        reason = "无效"
    return {"loc": loc, "type": error.get("type", ""), "msg": f"{place} {loc[-1] if loc else ''} {reason}"}


def operation_error_codes(method: str, operation: dict) -> set[int]:
    """The refusals an operation can answer: 401 for all (session login), 422 where it takes input,
    404 where a path names an object, and 403/404/409 for a write (the services' checks)."""
    parameters = operation.get("parameters", [])
    codes = {401}
    if parameters or "requestBody" in operation:
        codes.add(422)
    if any(parameter["in"] == "path" for parameter in parameters):
        codes.add(404)
    if method in WRITE_METHODS:
        codes |= {403, 404, 409}
    return codes


def document_error_responses(schema: dict) -> dict:
    """Add each operation's error responses (those it does not describe itself) to an OpenAPI document."""
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})  # keyed by int status, as django-ninja writes it
            for code in sorted(operation_error_codes(method, operation)):
                current = responses.setdefault(code, {})
                current.setdefault("description", ERROR_DESCRIPTIONS[code])
                current.setdefault("content", {"application/json": {"schema": _INVALID if code == 422 else _DETAIL}})
    return schema
