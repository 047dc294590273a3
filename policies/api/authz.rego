# Sample API authorization policy for the authorization endpoint
# (`wartburg run --server --authz-addr ...`): Envoy ext_authz, nginx
# auth_request and Traefik ForwardAuth send every request here.
# Deny by default; every allow names the permission that granted it.
package envoy.authz

default allow := false

# Roles come from a bearer token; for the sample the token's payload is
# decoded without a signature check — use io.jwt.decode_verify in production.
token := payload if {
	auth := input.attributes.request.http.headers.authorization
	startswith(auth, "Bearer ")
	[_, payload, _] := io.jwt.decode(substring(auth, 7, -1))
}

roles contains role if some role in token.roles

# role -> permissions: method and path prefix
permissions := {
	"reader": [{"method": "GET", "prefix": "/api/"}],
	"writer": [{"method": "GET", "prefix": "/api/"}, {"method": "POST", "prefix": "/api/orders"}],
}

granted contains sprintf("%s %s*", [p.method, p.prefix]) if {
	some role in roles
	some p in permissions[role]
	p.method == input.attributes.request.http.method
	startswith(input.attributes.request.http.path, p.prefix)
}

# health checks are public
granted contains "GET /health" if {
	input.attributes.request.http.method == "GET"
	input.parsed_path == ["health"]
}

allow if count(granted) > 0
