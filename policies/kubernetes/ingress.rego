# Unique Ingress hosts (Rego v1).
#
# An Ingress must not claim a host that another Ingress already serves: the
# second one would silently take over (or split) the traffic of the first.
# Hosts are compared case-insensitively. A rule without a host (a catch-all)
# is admitted with a warning.
#
# Existing Ingresses come from replicated cluster data (the inventory), in
# either of the two usual shapes (both are read):
#   kube-mgmt:  data.kubernetes.ingresses[<namespace>][<name>] = <Ingress>
#   Gatekeeper: data.inventory.namespace[<namespace>]["networking.k8s.io/v1"]
#                   ["Ingress"][<name>] = <Ingress>
# The Ingress being updated is not compared with itself.
#
# Parameters: data.config.kubernetes.ingress (all optional)
#   exempt_namespaces     (default: data.config.kubernetes.exempt_namespaces,
#                         else ["kube-system"])
#   enforcement           "deny" (default), "warn" or "dryrun"
#   allow_same_namespace  Ingresses of one namespace may share a host, e.g. to
#                         split paths (default: false)
package kubernetes.ingress

# ---- parameters ----

default config := {}

config := data.config.kubernetes.ingress

default global_exempt_namespaces := ["kube-system"]

global_exempt_namespaces := data.config.kubernetes.exempt_namespaces

exempt_namespaces := object.get(config, "exempt_namespaces", global_exempt_namespaces)

enforcement := object.get(config, "enforcement", "deny")

allow_same_namespace := object.get(config, "allow_same_namespace", false)

# ---- what is being admitted ----

request := input.request if input.request

request := input if not input.request

ingress := request.object if {
	request.kind.kind == "Ingress"
	request.operation in {"CREATE", "UPDATE"}
}

namespace := object.get(request, "namespace", "")

name := ingress.metadata.name

exempt if namespace in exempt_namespaces

# the hosts the admitted Ingress claims
hosts contains lower(rule.host) if {
	some rule in ingress.spec.rules
	object.get(rule, "host", "") != ""
}

# ---- the inventory ----

# [namespace, name, Ingress] of every existing Ingress
existing contains [ns, n, ing] if {
	some ns, ingresses in data.kubernetes.ingresses
	some n, ing in ingresses
}

existing contains [ns, n, ing] if {
	some ns, groups in data.inventory.namespace
	some n, ing in groups["networking.k8s.io/v1"].Ingress
}

# other Ingresses that claim the host, as "namespace/name"
claimed_by(host) := {sprintf("%s/%s", [ns, n]) |
	some [ns, n, ing] in existing
	not same_ingress(ns, n)
	not shared_namespace(ns)
	some rule in ing.spec.rules
	lower(object.get(rule, "host", "")) == host
}

same_ingress(ns, n) if {
	ns == namespace
	n == name
}

shared_namespace(ns) if {
	allow_same_namespace == true
	ns == namespace
}

# ---- violations ----

violation contains msg if {
	some host in hosts
	owners := claimed_by(host)
	count(owners) > 0
	msg := sprintf("Ingress %q: host %q is already served by %v", [name, host, sort(owners)])
}

# ---- decision ----

deny contains sprintf("[ingress] %s", [msg]) if {
	not exempt
	enforcement == "deny"
	some msg in violation
}

warn contains sprintf("[ingress] %s", [msg]) if {
	not exempt
	enforcement == "warn"
	some msg in violation
}

warn contains msg if {
	not exempt
	some rule in ingress.spec.rules
	object.get(rule, "host", "") == ""
	msg := sprintf("[ingress] Ingress %q has a rule without a host: it matches every host", [name])
}
