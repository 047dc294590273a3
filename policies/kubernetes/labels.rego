# Required labels (Rego v1).
#
# Objects of the configured kinds must carry the required labels (by default
# `owner` and `tenant`), with non-empty values that match an optional pattern.
# For workload controllers the pod template must carry them too, so that the
# Pods they create are labelled.
#
# Parameters: data.config.kubernetes.labels (all optional)
#   exempt_namespaces  (default: data.config.kubernetes.exempt_namespaces,
#                      else ["kube-system"]); for a Namespace object, its name
#   enforcement        "deny" (default), "warn" or "dryrun"
#   required           label keys (default: ["owner", "tenant"])
#   patterns           regular expressions the values must match, by key,
#                      e.g. {"owner": "^[a-z0-9-]+$"} (default: {})
#   kinds              kinds that are checked (default: Namespace, Pod, the
#                      workload controllers, Service, Ingress)
#   check_templates    also check pod templates (default: true)
package kubernetes.labels

# ---- parameters ----

default config := {}

config := data.config.kubernetes.labels

default global_exempt_namespaces := ["kube-system"]

global_exempt_namespaces := data.config.kubernetes.exempt_namespaces

exempt_namespaces := object.get(config, "exempt_namespaces", global_exempt_namespaces)

enforcement := object.get(config, "enforcement", "deny")

required := object.get(config, "required", ["owner", "tenant"])

patterns := object.get(config, "patterns", {})

default_kinds := [
	"Namespace", "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
	"ReplicationController", "Job", "CronJob", "Service", "Ingress",
]

kinds := object.get(config, "kinds", default_kinds)

check_templates := object.get(config, "check_templates", true)

# ---- what is being admitted ----

request := input.request if input.request

request := input if not input.request

kind := request.kind.kind

# the namespace the object belongs to; a Namespace belongs to itself
namespace := request.object.metadata.name if kind == "Namespace"

namespace := object.get(request, "namespace", "") if kind != "Namespace"

exempt if namespace in exempt_namespaces

template_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"}

# the label sets to check, by what they belong to
labelled[sprintf("%s %q", [kind, name])] := labels if {
	kind in kinds
	name := object.get(request.object.metadata, "name", object.get(request.object.metadata, "generateName", ""))
	labels := object.get(request.object.metadata, "labels", {})
}

labelled[sprintf("the pod template of %s %q", [kind, request.object.metadata.name])] := labels if {
	check_templates == true
	kind in kinds
	template := pod_template
	labels := object.get(template, ["metadata", "labels"], {})
}

pod_template := request.object.spec.template if kind in template_kinds

pod_template := request.object.spec.jobTemplate.spec.template if kind == "CronJob"

# ---- violations ----

violation contains msg if {
	some what, labels in labelled
	some key in required
	object.get(labels, key, "") == ""
	msg := sprintf("%s must have the label %q", [what, key])
}

violation contains msg if {
	some what, labels in labelled
	some key, pattern in patterns
	value := labels[key]
	value != ""
	not regex.match(pattern, value)
	msg := sprintf("%s: label %s=%q does not match %q", [what, key, value, pattern])
}

# ---- decision ----

deny contains sprintf("[labels] %s", [msg]) if {
	not exempt
	enforcement == "deny"
	some msg in violation
}

warn contains sprintf("[labels] %s", [msg]) if {
	not exempt
	enforcement == "warn"
	some msg in violation
}
