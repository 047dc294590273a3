package api.rbac_test

import data.api.rbac

# ---- fixtures ----

secret := "rbac-test-secret"

# far in the future (2100-01-01), so the tests never expire
exp := 4102444800

config := {
	"jwt": {"secret": secret, "iss": "https://idp.example.com", "aud": "documents-api"},
	"roles": {
		"reader": ["documents:list", "documents:read"],
		"editor": ["documents:list", "documents:read", "documents:write"],
		"tenant-admin": ["documents:list", "documents:read", "documents:write", "documents:delete:any"],
	},
	"bindings": {"carol": ["tenant-admin"]},
	"routes": [
		{"method": "GET", "path": "/health", "public": true},
		{"method": "GET", "path": "/tenants/{tenant}/documents", "permission": "documents:list"},
		{"method": "GET", "path": "/tenants/{tenant}/documents/{id}", "permission": "documents:read", "resource": "documents"},
		{"method": "PUT", "path": "/tenants/{tenant}/documents/{id}", "permission": "documents:write", "resource": "documents", "owner": true},
		{"method": "DELETE", "path": "/tenants/{tenant}/documents/{id}", "permission": "documents:write", "resource": "documents", "owner": true, "override": "documents:delete:any"},
		{"method": "*", "path": "/tenants/{tenant}/documents/*/comments", "permission": "documents:read"},
	],
	"resources": {"documents": {
		"d1": {"tenant": "acme", "owner": "alice"},
		"d2": {"tenant": "acme", "owner": "bob"},
		"d9": {"tenant": "globex", "owner": "gina"},
	}},
}

cfg := {"api": {"rbac": config}}

token(claims) := io.jwt.encode_sign(
	{"typ": "JWT", "alg": "HS256"},
	object.union({"iss": "https://idp.example.com", "aud": "documents-api", "exp": exp, "nbf": 1000000000}, claims),
	{"kty": "oct", "k": base64url.encode_no_pad(secret)},
)

alice := token({"sub": "alice", "tenant": "acme", "roles": ["editor"]})

bob := token({"sub": "bob", "tenant": "acme", "roles": ["reader"]})

carol := token({"sub": "carol", "tenant": "acme"})

gina := token({"sub": "gina", "tenant": "globex", "roles": ["editor"]})

request(method, path, tok) := {
	"attributes": {"request": {"http": {
		"method": method,
		"path": path,
		"host": "docs.example.com",
		"headers": {"authorization": concat(" ", ["Bearer", tok]), "content-type": "application/json"},
	}}},
	"parsed_path": split(trim_prefix(path, "/"), "/"),
	"parsed_query": {},
}

anonymous(method, path) := {
	"attributes": {"request": {"http": {"method": method, "path": path, "headers": {}}}},
	"parsed_path": split(trim_prefix(path, "/"), "/"),
}

# ---- identity ----

test_verified_token_claims if {
	claims := rbac.claims with input as request("GET", "/tenants/acme/documents", alice) with data.config as cfg
	claims.sub == "alice"
	rbac.roles == {"editor"} with input as request("GET", "/", alice) with data.config as cfg
	rbac.roles == {"tenant-admin"} with input as request("GET", "/", carol) with data.config as cfg
}

test_bad_signature_denied if {
	forged := io.jwt.encode_sign({"typ": "JWT", "alg": "HS256"}, {"sub": "alice", "tenant": "acme", "roles": ["editor"], "iss": "https://idp.example.com", "aud": "documents-api", "exp": exp}, {"kty": "oct", "k": base64url.encode_no_pad("wrong-secret")})
	inp := request("GET", "/tenants/acme/documents", forged)
	not rbac.allow with input as inp with data.config as cfg
	d := rbac.decision with input as inp with data.config as cfg
	d == {"allowed": false, "http_status": 401, "body": "missing or invalid bearer token"}
}

test_wrong_issuer_audience_or_expired_denied if {
	inputs := [
		request("GET", "/tenants/acme/documents", token({"sub": "alice", "tenant": "acme", "roles": ["editor"], "iss": "https://evil.example.com"})),
		request("GET", "/tenants/acme/documents", token({"sub": "alice", "tenant": "acme", "roles": ["editor"], "aud": "other-api"})),
		request("GET", "/tenants/acme/documents", token({"sub": "alice", "tenant": "acme", "roles": ["editor"], "exp": 1000000000})),
	]
	every inp in inputs {
		not rbac.allow with input as inp with data.config as cfg
	}
}

test_missing_token_denied if {
	inp := anonymous("GET", "/tenants/acme/documents")
	not rbac.allow with input as inp with data.config as cfg
	rbac.decision.http_status == 401 with input as inp with data.config as cfg
}

test_no_jwt_configuration_denies if {
	no_jwt := {"api": {"rbac": object.remove(config, ["jwt"])}}
	not rbac.allow with input as request("GET", "/tenants/acme/documents", alice) with data.config as no_jwt
}

test_lowercase_bearer_scheme if {
	inp := object.union(request("GET", "/tenants/acme/documents", alice), {"attributes": {"request": {"http": {"headers": {"authorization": concat(" ", ["bearer", alice])}}}}})
	rbac.allow with input as inp with data.config as cfg
}

# ---- RBAC ----

test_reader_can_list_and_read if {
	rbac.granted == {"documents:list"} with input as request("GET", "/tenants/acme/documents", bob) with data.config as cfg
	rbac.granted == {"documents:read"} with input as request("GET", "/tenants/acme/documents/d1", bob) with data.config as cfg
}

test_reader_cannot_write if {
	inp := request("PUT", "/tenants/acme/documents/d2", bob)
	not rbac.allow with input as inp with data.config as cfg
	d := rbac.decision with input as inp with data.config as cfg
	d == {"allowed": false, "http_status": 403, "body": "permission documents:write required"}
}

test_decision_names_the_grant if {
	d := rbac.decision with input as request("GET", "/tenants/acme/documents/d2", alice) with data.config as cfg
	d == {"allowed": true, "headers": {"x-granted-by": "documents:read", "x-user": "alice", "x-tenant": "acme"}}
}

test_unknown_route_denied if {
	d := rbac.decision with input as request("GET", "/admin/users", alice) with data.config as cfg
	d == {"allowed": false, "http_status": 403, "body": "no route matches the request"}
	not rbac.allow with input as request("POST", "/tenants/acme/documents", alice) with data.config as cfg
	not rbac.allow with input as request("GET", "/tenants/acme/documents/d1/extra", alice) with data.config as cfg
}

test_public_route_needs_no_identity if {
	d := rbac.decision with input as anonymous("GET", "/health") with data.config as cfg
	d.allowed == true
	d.headers["x-granted-by"] == "public GET /health"
	d.headers["x-user"] == ""
}

test_wildcard_method_and_segment if {
	rbac.granted == {"documents:read"} with input as request("POST", "/tenants/acme/documents/d1/comments", bob) with data.config as cfg
}

test_path_without_parsed_path if {
	inp := object.remove(request("GET", "/tenants/acme/documents?limit=10", bob), ["parsed_path"])
	rbac.path == ["tenants", "acme", "documents"] with input as inp with data.config as cfg
	rbac.allow with input as inp with data.config as cfg
}

test_deny_by_default_without_configuration if {
	not rbac.allow with input as request("GET", "/health", alice)
	rbac.decision.body == "no route matches the request" with input as request("GET", "/health", alice)
}

# ---- attribute rules: tenant ----

test_other_tenant_in_path_denied if {
	inp := request("GET", "/tenants/globex/documents", alice)
	not rbac.allow with input as inp with data.config as cfg
	d := rbac.decision with input as inp with data.config as cfg
	d == {"allowed": false, "http_status": 403, "body": "the caller's tenant does not match the resource"}
}

test_resource_of_other_tenant_denied if {
	# the path claims acme, but document d9 belongs to globex
	inp := request("GET", "/tenants/acme/documents/d9", alice)
	not rbac.allow with input as inp with data.config as cfg
	rbac.reasons == {"the caller's tenant does not match the resource"} with input as inp with data.config as cfg
	rbac.allow with input as request("GET", "/tenants/globex/documents/d9", gina) with data.config as cfg
}

test_custom_tenant_claim if {
	c := {"api": {"rbac": object.union(config, {"claims": {"tenant": "org"}})}}
	tok := token({"sub": "alice", "org": "acme", "roles": ["reader"]})
	rbac.allow with input as request("GET", "/tenants/acme/documents", tok) with data.config as c
	not rbac.allow with input as request("GET", "/tenants/acme/documents", alice) with data.config as c
}

# ---- attribute rules: ownership ----

test_owner_can_write if {
	rbac.granted == {"documents:write"} with input as request("PUT", "/tenants/acme/documents/d1", alice) with data.config as cfg
}

test_non_owner_cannot_write if {
	inp := request("PUT", "/tenants/acme/documents/d2", alice)
	not rbac.allow with input as inp with data.config as cfg
	rbac.decision.body == "permission documents:write required" with input as inp with data.config as cfg
}

test_unknown_resource_has_no_owner if {
	not rbac.allow with input as request("PUT", "/tenants/acme/documents/d404", alice) with data.config as cfg
}

test_override_permission_grants if {
	# carol (tenant-admin through a binding) may delete bob's document
	rbac.granted == {"documents:delete:any"} with input as request("DELETE", "/tenants/acme/documents/d2", carol) with data.config as cfg

	# alice may delete her own document only
	rbac.granted == {"documents:write"} with input as request("DELETE", "/tenants/acme/documents/d1", alice) with data.config as cfg
	not rbac.allow with input as request("DELETE", "/tenants/acme/documents/d2", alice) with data.config as cfg

	# the override does not cross tenants
	not rbac.allow with input as request("DELETE", "/tenants/acme/documents/d9", carol) with data.config as cfg
}
