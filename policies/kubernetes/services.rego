# Service exposure (Rego v1).
#
# Services of type LoadBalancer and NodePort expose workloads outside the
# cluster network; they are allowed only in the namespaces listed for the
# type. Services must not set spec.externalIPs (CVE-2020-8554: a Service can
# intercept traffic to any IP) unless the IP is allowed.
#
# Parameters: data.config.kubernetes.services (all optional)
#   exempt_namespaces     (default: data.config.kubernetes.exempt_namespaces,
#                         else ["kube-system"])
#   enforcement           "deny" (default), "warn" or "dryrun"
#   allowed_namespaces    namespaces by Service type, e.g.
#                         {"LoadBalancer": ["ingress-nginx"], "NodePort": []}
#                         (default: {} - no namespace may use either type)
#   restricted_types      the types that need an allowed namespace
#                         (default: ["LoadBalancer", "NodePort"])
#   allowed_external_ips  external IPs Services may claim (default: [])
package kubernetes.services

# ---- parameters ----

default config := {}

config := data.config.kubernetes.services

default global_exempt_namespaces := ["kube-system"]

global_exempt_namespaces := data.config.kubernetes.exempt_namespaces

exempt_namespaces := object.get(config, "exempt_namespaces", global_exempt_namespaces)

enforcement := object.get(config, "enforcement", "deny")

allowed_namespaces := object.get(config, "allowed_namespaces", {})

restricted_types := object.get(config, "restricted_types", ["LoadBalancer", "NodePort"])

allowed_external_ips := object.get(config, "allowed_external_ips", [])

# ---- what is being admitted ----

request := input.request if input.request

request := input if not input.request

service := request.object if {
	request.kind.kind == "Service"
	request.operation in {"CREATE", "UPDATE"}
}

namespace := object.get(request, "namespace", "")

exempt if namespace in exempt_namespaces

# ---- violations ----

violation contains msg if {
	type := service.spec.type
	type in restricted_types
	not namespace in object.get(allowed_namespaces, type, [])
	msg := sprintf("Service %q: type %s is not allowed in namespace %q (allowed: %v)", [service.metadata.name, type, namespace, object.get(allowed_namespaces, type, [])])
}

violation contains msg if {
	some ip in service.spec.externalIPs
	not ip in allowed_external_ips
	msg := sprintf("Service %q must not claim the external IP %s", [service.metadata.name, ip])
}

# ---- decision ----

deny contains sprintf("[services] %s", [msg]) if {
	not exempt
	enforcement == "deny"
	some msg in violation
}

warn contains sprintf("[services] %s", [msg]) if {
	not exempt
	enforcement == "warn"
	some msg in violation
}
