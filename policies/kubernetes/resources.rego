# Resource requests and limits (Rego v1).
#
# Every container and initContainer of Pods and of the pod templates of
# workload controllers must declare the required resource requests and limits;
# optionally, limits must not exceed a maximum. (Ephemeral containers cannot
# declare resources and are not checked.)
#
# Parameters: data.config.kubernetes.resources (all optional)
#   exempt_namespaces  (default: data.config.kubernetes.exempt_namespaces,
#                      else ["kube-system"])
#   enforcement        "deny" (default), "warn" or "dryrun"
#   required_requests  resources every container must request
#                      (default: ["cpu", "memory"])
#   required_limits    resources every container must limit
#                      (default: ["cpu", "memory"])
#   max_limits         upper bounds for limits, e.g. {"cpu": "4", "memory": "8Gi"}
#                      (default: {} - no bound)
package kubernetes.resources

# ---- parameters ----

default config := {}

config := data.config.kubernetes.resources

default global_exempt_namespaces := ["kube-system"]

global_exempt_namespaces := data.config.kubernetes.exempt_namespaces

exempt_namespaces := object.get(config, "exempt_namespaces", global_exempt_namespaces)

enforcement := object.get(config, "enforcement", "deny")

required_requests := object.get(config, "required_requests", ["cpu", "memory"])

required_limits := object.get(config, "required_limits", ["cpu", "memory"])

max_limits := object.get(config, "max_limits", {})

# ---- what is being admitted ----

request := input.request if input.request

request := input if not input.request

template_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"}

pod_spec := request.object.spec if request.kind.kind == "Pod"

pod_spec := request.object.spec.template.spec if request.kind.kind in template_kinds

pod_spec := request.object.spec.jobTemplate.spec.template.spec if request.kind.kind == "CronJob"

containers contains c if {
	some field in ["containers", "initContainers"]
	some c in pod_spec[field]
}

exempt if request.namespace in exempt_namespaces

# ---- violations ----

violation contains msg if {
	some c in containers
	some resource in required_requests
	not c.resources.requests[resource]
	msg := sprintf("container %q must request %s (resources.requests.%s)", [c.name, resource, resource])
}

violation contains msg if {
	some c in containers
	some resource in required_limits
	not c.resources.limits[resource]
	msg := sprintf("container %q must limit %s (resources.limits.%s)", [c.name, resource, resource])
}

violation contains msg if {
	some c in containers
	some resource, max in max_limits
	limit := c.resources.limits[resource]
	quantity(limit) > quantity(max)
	msg := sprintf("container %q: %s limit %v exceeds the maximum %v", [c.name, resource, limit, max])
}

# ---- decision ----

deny contains sprintf("[resources] %s", [msg]) if {
	not exempt
	enforcement == "deny"
	some msg in violation
}

warn contains sprintf("[resources] %s", [msg]) if {
	not exempt
	enforcement == "warn"
	some msg in violation
}

# ---- helpers ----

# Kubernetes quantities ("500m", "2", "512Mi", "1G") as numbers
quantity(q) := units.parse(sprintf("%v", [q]))
