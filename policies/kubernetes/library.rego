# The whole Kubernetes policy library behind one package (Rego v1).
#
# Route the admission webhook here (--admission-package data.kubernetes.library)
# to apply every policy of the library at once: `deny` and `warn` are the
# unions of the packages' `deny` and `warn`. Each message starts with the
# policy that produced it, e.g. "[images] ...". Load the whole folder
# (policies/kubernetes) so that every package is present.
#
# With `wartburg eval`, `response` answers a whole AdmissionReview like the
# webhook does.
#
# Parameters: data.config.kubernetes.library (all optional); each policy keeps
# its own parameters (data.config.kubernetes.<policy>).
#   pod_security  "baseline" (default), "restricted" (which includes baseline)
#                 or "none"
#   policies      the other policies to apply (default: all of them:
#                 ["images", "resources", "labels", "network", "ingress", "services"])
package kubernetes.library

default config := {}

config := data.config.kubernetes.library

pod_security := object.get(config, "pod_security", "baseline")

policies := object.get(config, "policies", ["images", "resources", "labels", "network", "ingress", "services"])

# ---- deny ----

deny contains msg if {
	pod_security == "baseline"
	some msg in data.kubernetes.pod_security.baseline.deny
}

deny contains msg if {
	pod_security == "restricted"
	some msg in data.kubernetes.pod_security.restricted.deny
}

deny contains msg if {
	"images" in policies
	some msg in data.kubernetes.images.deny
}

deny contains msg if {
	"resources" in policies
	some msg in data.kubernetes.resources.deny
}

deny contains msg if {
	"labels" in policies
	some msg in data.kubernetes.labels.deny
}

deny contains msg if {
	"network" in policies
	some msg in data.kubernetes.network.deny
}

deny contains msg if {
	"ingress" in policies
	some msg in data.kubernetes.ingress.deny
}

deny contains msg if {
	"services" in policies
	some msg in data.kubernetes.services.deny
}

# ---- warn ----

warn contains msg if {
	pod_security == "baseline"
	some msg in data.kubernetes.pod_security.baseline.warn
}

warn contains msg if {
	pod_security == "restricted"
	some msg in data.kubernetes.pod_security.restricted.warn
}

warn contains msg if {
	"images" in policies
	some msg in data.kubernetes.images.warn
}

warn contains msg if {
	"resources" in policies
	some msg in data.kubernetes.resources.warn
}

warn contains msg if {
	"labels" in policies
	some msg in data.kubernetes.labels.warn
}

warn contains msg if {
	"network" in policies
	some msg in data.kubernetes.network.warn
}

warn contains msg if {
	"ingress" in policies
	some msg in data.kubernetes.ingress.warn
}

warn contains msg if {
	"services" in policies
	some msg in data.kubernetes.services.warn
}

# ---- the webhook's answer, for `wartburg eval` on a whole AdmissionReview ----

response := {
	"apiVersion": "admission.k8s.io/v1",
	"kind": "AdmissionReview",
	"response": object.union(
		{"uid": input.request.uid, "allowed": count(deny) == 0, "warnings": sort(warn)},
		status,
	),
}

status := {} if count(deny) == 0

status := {"status": {"code": 403, "reason": "Forbidden", "message": concat("; ", sort(deny))}} if count(deny) > 0
