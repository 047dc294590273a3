# Default-deny NetworkPolicy in every namespace (Rego v1).
#
# A namespace must have a default-deny NetworkPolicy (one that selects every
# pod, `podSelector: {}`, has the policy type and no rules for it) for each
# required traffic direction (by default Ingress). Admission cannot create it
# together with the namespace, so the policy enforces it where it matters:
#
#   - workloads (Pods and workload controllers) are rejected in a namespace
#     that has no default-deny NetworkPolicy yet;
#   - deleting, or updating away, the last default-deny NetworkPolicy of a
#     namespace is rejected;
#   - creating a Namespace is admitted with a warning reminding to create one.
#
# Existing NetworkPolicies come from replicated cluster data (the inventory),
# in either of the two usual shapes (both are read):
#   kube-mgmt:  data.kubernetes.networkpolicies[<namespace>][<name>] = <NetworkPolicy>
#   Gatekeeper: data.inventory.namespace[<namespace>]["networking.k8s.io/v1"]
#                   ["NetworkPolicy"][<name>] = <NetworkPolicy>
#
# Parameters: data.config.kubernetes.network (all optional)
#   exempt_namespaces      (default: data.config.kubernetes.exempt_namespaces,
#                          else ["kube-system"]); for a Namespace object, its name
#   enforcement            "deny" (default), "warn" or "dryrun"
#   required_policy_types  directions that must be denied by default
#                          (default: ["Ingress"]; ["Ingress", "Egress"] for both)
package kubernetes.network

# ---- parameters ----

default config := {}

config := data.config.kubernetes.network

default global_exempt_namespaces := ["kube-system"]

global_exempt_namespaces := data.config.kubernetes.exempt_namespaces

exempt_namespaces := object.get(config, "exempt_namespaces", global_exempt_namespaces)

enforcement := object.get(config, "enforcement", "deny")

required_policy_types := object.get(config, "required_policy_types", ["Ingress"])

# ---- what is being admitted ----

request := input.request if input.request

request := input if not input.request

kind := request.kind.kind

workload_kinds := {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"}

namespace := request.object.metadata.name if kind == "Namespace"

namespace := object.get(request, "namespace", "") if kind != "Namespace"

exempt if namespace in exempt_namespaces

# ---- the inventory ----

# [namespace, name, NetworkPolicy] of every existing NetworkPolicy
existing contains [ns, name, np] if {
	some ns, policies in data.kubernetes.networkpolicies
	some name, np in policies
}

existing contains [ns, name, np] if {
	some ns, groups in data.inventory.namespace
	some name, np in groups["networking.k8s.io/v1"].NetworkPolicy
}

# the namespace has a default-deny policy for the type, other than `except`
covered(ns, type, except) if {
	some [ns, name, np] in existing
	name != except
	default_deny(np, type)
}

# ---- violations ----

violation contains msg if {
	kind in workload_kinds
	request.operation in {"CREATE", "UPDATE"}
	some type in required_policy_types
	not covered(namespace, type, "")
	msg := sprintf("namespace %q has no default-deny NetworkPolicy for %s traffic; create one before deploying workloads", [namespace, type])
}

violation contains msg if {
	kind == "NetworkPolicy"
	request.operation == "DELETE"
	some type in required_policy_types
	default_deny(request.oldObject, type)
	not covered(namespace, type, request.oldObject.metadata.name)
	msg := sprintf("NetworkPolicy %q is the last default-deny policy for %s traffic in namespace %q and must not be deleted", [request.oldObject.metadata.name, type, namespace])
}

violation contains msg if {
	kind == "NetworkPolicy"
	request.operation == "UPDATE"
	some type in required_policy_types
	default_deny(request.oldObject, type)
	not default_deny(request.object, type)
	not covered(namespace, type, request.object.metadata.name)
	msg := sprintf("NetworkPolicy %q is the last default-deny policy for %s traffic in namespace %q and must stay default-deny", [request.object.metadata.name, type, namespace])
}

# ---- decision ----

deny contains sprintf("[network] %s", [msg]) if {
	not exempt
	enforcement == "deny"
	some msg in violation
}

warn contains sprintf("[network] %s", [msg]) if {
	not exempt
	enforcement == "warn"
	some msg in violation
}

warn contains msg if {
	not exempt
	kind == "Namespace"
	request.operation == "CREATE"
	msg := sprintf("[network] namespace %q: create a default-deny NetworkPolicy (%v); workloads are rejected until one exists", [namespace, required_policy_types])
}

# ---- helpers ----

# A default-deny NetworkPolicy for a type: selects every pod, applies to the
# type and allows nothing for it.
default_deny(np, type) if {
	selects_all_pods(np)
	type in policy_types(np)
	count(object.get(np.spec, lower(type), [])) == 0
}

selects_all_pods(np) if {
	count(object.get(np.spec, ["podSelector", "matchLabels"], {})) == 0
	count(object.get(np.spec, ["podSelector", "matchExpressions"], [])) == 0
}

# policyTypes, or the API server's default: Ingress, plus Egress with egress rules
policy_types(np) := np.spec.policyTypes

policy_types(np) := ["Ingress"] if {
	not np.spec.policyTypes
	count(object.get(np.spec, "egress", [])) == 0
}

policy_types(np) := ["Ingress", "Egress"] if {
	not np.spec.policyTypes
	count(object.get(np.spec, "egress", [])) > 0
}
