# Sample Kubernetes validating admission policy (Rego v1).
#
# Served by the admission webhook (`wartburg run --server`, POST /v1/admit),
# which evaluates `deny` and `warn` with the review's request as input. With
# `wartburg eval`, evaluate `data.kubernetes.admission.response` against a
# whole AdmissionReview (admission.k8s.io/v1): it answers with an
# AdmissionReview whose response allows the request when no `deny` rule
# fires, and carries the `warn` messages as warnings. Pods and the pod templates of workload
# controllers are checked; requests in exempt namespaces are always allowed.
package kubernetes.admission

trusted_registries := ["registry.example.com/", "ghcr.io/example/"]

exempt_namespaces := {"kube-system"}

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}

# ---- what is being admitted ----

# the AdmissionRequest: the webhook's input, or the `request` of a whole review
request := input.request if input.request

request := input if not input.request

pod_spec := request.object.spec if request.kind.kind == "Pod"

pod_spec := request.object.spec.template.spec if request.kind.kind in workload_kinds

exempt if request.namespace in exempt_namespaces

containers contains c if {
	not exempt
	some c in pod_spec.containers
}

containers contains c if {
	not exempt
	some c in pod_spec.initContainers
}

# ---- deny: the request is rejected ----

deny contains msg if {
	some c in containers
	c.securityContext.privileged == true
	msg := sprintf("container %q must not run as privileged", [c.name])
}

deny contains msg if {
	some c in containers
	not trusted_image(c.image)
	msg := sprintf("container %q uses image %q from an untrusted registry", [c.name, c.image])
}

deny contains msg if {
	some c in containers
	mutable_tag(c.image)
	msg := sprintf("container %q uses image %q with the mutable tag latest; pin a version or digest", [c.name, c.image])
}

deny contains msg if {
	some c in containers
	not runs_as_non_root(c)
	msg := sprintf("container %q must set securityContext.runAsNonRoot to true", [c.name])
}

deny contains "pods must not use the host network" if {
	not exempt
	pod_spec.hostNetwork == true
}

# ---- warn: the request is admitted with a warning ----

warn contains msg if {
	some c in containers
	not c.resources.limits.memory
	msg := sprintf("container %q has no memory limit", [c.name])
}

warn contains msg if {
	some c in containers
	not c.securityContext.allowPrivilegeEscalation == false
	msg := sprintf("container %q should set securityContext.allowPrivilegeEscalation to false", [c.name])
}

# ---- helpers ----

trusted_image(image) if {
	some prefix in trusted_registries
	startswith(image, prefix)
}

mutable_tag(image) if endswith(image, ":latest")

# No tag and no digest means :latest.
mutable_tag(image) if {
	not contains(image, "@")
	parts := split(image, "/")
	not contains(parts[count(parts) - 1], ":")
}

runs_as_non_root(c) if c.securityContext.runAsNonRoot == true

runs_as_non_root(c) if {
	not c.securityContext.runAsNonRoot == false
	pod_spec.securityContext.runAsNonRoot == true
}

# ---- the decision ----

default allowed := false

allowed if count(deny) == 0

review_response := {
	"uid": request.uid,
	"allowed": true,
	"warnings": sort(warn),
} if allowed

review_response := {
	"uid": request.uid,
	"allowed": false,
	"status": {
		"code": 403,
		"reason": "Forbidden",
		"message": concat("; ", sort(deny)),
	},
	"warnings": sort(warn),
} if not allowed

response := {
	"apiVersion": "admission.k8s.io/v1",
	"kind": "AdmissionReview",
	"response": review_response,
}
