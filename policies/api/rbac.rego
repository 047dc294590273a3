# HTTP API authorization: verified JWT identity, RBAC from data, attribute
# rules (tenant and ownership), method + path templates (Rego v1).
#
# For the authorization endpoint (`wartburg run --server --authz-addr ...`,
# Envoy ext_authz / nginx auth_request / Traefik ForwardAuth), which sends the
# OPA-Envoy input: input.attributes.request.http.{method, path, headers} and
# input.parsed_path. Deny by default: a request is allowed only when a route
# matches it and grants a permission, and every allow names what granted it
# (`granted`). Use `decision` as the endpoint's decision
# (--authz-decision data.api.rbac.decision): {allowed, headers, http_status,
# body}; the upstream receives x-granted-by, x-user and x-tenant.
#
# Parameters: data.config.api.rbac
#   jwt       constraints for io.jwt.decode_verify: {"secret": ...} (HS256) or
#             {"cert": <PEM or JWKS>}, plus "iss", "aud" (and optionally "alg")
#   claims    claim names (default {"tenant": "tenant", "roles": "roles"})
#   roles     role -> permissions, e.g. {"reader": ["documents:read"]}
#   bindings  subject -> extra roles, e.g. {"alice": ["admin"]} (optional)
#   routes    [{method, path, permission, owner?, override?, resource?, public?}]:
#             method "GET" ... or "*"; path a template such as
#             "/tenants/{tenant}/documents/{id}" ({name} binds a segment, "*"
#             matches any one); the caller needs `permission`. A {tenant}
#             parameter must equal the caller's tenant claim. With `resource`
#             (e.g. "documents"), the attributes of the resource named by the
#             {id} parameter come from `resources`: its tenant must be the
#             caller's; with `owner: true` its owner must be the caller, unless
#             the caller holds the `override` permission (which then is what
#             granted the request). `public: true` routes need no identity.
#   resources resource type -> id -> {"tenant": ..., "owner": ...} (optional;
#             replicate it from the service, or push it through the REST API)
package api.rbac

# ---- parameters ----

default config := {}

config := data.config.api.rbac

jwt_constraints := object.filter(object.get(config, "jwt", {}), {"cert", "secret", "alg", "iss", "aud", "time"})

claim_names := object.union({"tenant": "tenant", "roles": "roles"}, object.get(config, "claims", {}))

role_permissions := object.get(config, "roles", {})

bindings := object.get(config, "bindings", {})

routes := object.get(config, "routes", [])

resources := object.get(config, "resources", {})

# ---- the request ----

http := input.attributes.request.http

method := upper(http.method)

# the path as segments: parsed_path, or the path without its query
path := input.parsed_path

path := segments(split(http.path, "?")[0]) if not input.parsed_path

segments(p) := split(trim_prefix(p, "/"), "/")

# ---- identity ----

bearer_token := t if {
	auth := http.headers.authorization
	lower(substring(auth, 0, 7)) == "bearer "
	t := trim_space(substring(auth, 7, -1))
}

# the verified token's claims: signature, issuer, audience, exp and nbf checked
claims := payload if {
	count(jwt_constraints) > 0
	[valid, _, payload] := io.jwt.decode_verify(bearer_token, jwt_constraints)
	valid == true
}

# the claims, or {} when the caller has no valid token
default identity := {}

identity := claims

subject := claims.sub

tenant := claims[claim_names.tenant]

roles contains role if some role in claims[claim_names.roles]

roles contains role if some role in bindings[subject]

permissions contains permission if {
	some role in roles
	some permission in role_permissions[role]
}

# ---- routes ----

# index -> path parameters of every route that matches method and path
matches[i] := params if {
	some i, route in routes
	method_matches(route)
	template := segments(route.path)
	count(template) == count(path)
	every j, segment in template {
		segment_matches(segment, path[j])
	}
	params := {name: path[j] |
		some j, segment in template
		name := parameter(segment)
	}
}

method_matches(route) if upper(route.method) == method

method_matches(route) if route.method == "*"

segment_matches(segment, _) if parameter(segment)

segment_matches("*", _)

segment_matches(segment, value) if {
	not parameter(segment)
	segment == value
}

parameter(segment) := substring(segment, 1, count(segment) - 2) if {
	startswith(segment, "{")
	endswith(segment, "}")
}

# the attributes of the resource a route names, if known
resource(route, params) := resources[route.resource][params.id]

# ---- attribute rules ----

tenant_ok(params) if not params.tenant

tenant_ok(params) if params.tenant == tenant

# (a resource that is not known has no tenant; `not resource(...).tenant` alone
# would be undefined for it: OPA evaluates the call before the negation)
resource_tenant_ok(route, params) if not resource(route, params)

resource_tenant_ok(route, params) if {
	r := resource(route, params)
	not r.tenant
}

resource_tenant_ok(route, params) if resource(route, params).tenant == tenant

# the permission that grants a route to the caller: the route's own (with
# ownership when required), or its override permission
grant(route, _) := route.permission if {
	not route.owner == true
	route.permission in permissions
}

grant(route, params) := route.permission if {
	route.owner == true
	route.permission in permissions
	resource(route, params).owner == subject
}

grant(route, _) := route.override if {
	route.owner == true
	route.override in permissions
}

# ---- decision ----

granted contains sprintf("public %s %s", [route.method, route.path]) if {
	some i, _ in matches
	route := routes[i]
	route.public == true
}

granted contains permission if {
	some i, params in matches
	route := routes[i]
	subject
	tenant_ok(params)
	resource_tenant_ok(route, params)
	permission := grant(route, params)
}

default allow := false

allow if count(granted) > 0

# why a request is denied (for the response body and the decision log)
reasons contains "no route matches the request" if count(matches) == 0

reasons contains "missing or invalid bearer token" if {
	count(matches) > 0
	not claims
}

reasons contains "the caller's tenant does not match the resource" if {
	some i, params in matches
	claims
	not tenant_ok(params)
}

reasons contains "the caller's tenant does not match the resource" if {
	some i, params in matches
	claims
	not resource_tenant_ok(routes[i], params)
}

reasons contains sprintf("permission %s required", [routes[i].permission]) if {
	some i, params in matches
	claims
	not grant(routes[i], params)
}

decision := {
	"allowed": true,
	"headers": {
		"x-granted-by": concat(",", sort(granted)),
		"x-user": object.get(identity, "sub", ""),
		"x-tenant": sprintf("%v", [object.get(identity, claim_names.tenant, "")]),
	},
} if allow

decision := {
	"allowed": false,
	"http_status": status,
	"body": concat("; ", sort(reasons)),
} if not allow

status := 401 if not claims

status := 403 if claims
