"""/docs: the OpenAPI schema rendered server-side as one HTML page (no Swagger UI, no CDN, no JS)."""
from __future__ import annotations

from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_of(schema: dict[str, Any] | None) -> str:
    """A short readable type for a JSON schema fragment: string, integer, list[Article], A | B."""
    if not schema:
        return "any"
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " | ".join(type_of(s) for s in schema[key])
    kind = schema.get("type", "object")
    if kind == "array":
        return f"list[{type_of(schema.get('items'))}]"
    return str(kind)


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if not op:
                continue
            params = [{
                "name": p.get("name"), "in": p.get("in"), "required": bool(p.get("required")),
                "type": type_of(p.get("schema")), "description": p.get("description") or (p.get("schema") or {}).get("description"),
                "default": (p.get("schema") or {}).get("default"),
            } for p in op.get("parameters", [])]
            body = None
            content = (op.get("requestBody") or {}).get("content", {})
            if "application/json" in content:
                body = type_of(content["application/json"].get("schema"))
            out.append({
                "method": method.upper(), "path": path, "summary": op.get("summary"),
                "description": op.get("description"), "tags": op.get("tags") or ["other"],
                "params": params, "body": body, "auth": bool(op.get("security")),
                "deprecated": bool(op.get("deprecated")),
                "responses": [{"status": str(code), "description": r.get("description")}
                              for code, r in sorted(op.get("responses", {}).items())],
                "anchor": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
            })
    return out


def models(spec: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        out.append({"name": name, "description": schema.get("description"), "fields": [
            {"name": field, "type": type_of(sub), "required": field in required, "description": sub.get("description")}
            for field, sub in schema.get("properties", {}).items()]})
    return out


def docs_page(spec: dict[str, Any]) -> str:
    from wirescope.web.routes import templates

    return templates().get_template("api_docs.html").render(
        info=spec.get("info", {}), operations=operations(spec), models=models(spec), page="docs")
