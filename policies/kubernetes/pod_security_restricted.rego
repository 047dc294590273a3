# Pod Security Standards: Restricted profile (Rego v1).
#
# The Restricted profile is cumulative: its violations are the Baseline
# profile's (data.kubernetes.pod_security.baseline, pod_security_baseline.rego
# must be loaded too) plus the hardening controls below: volume types,
# allowPrivilegeEscalation: false, runAsNonRoot, no root UID, a RuntimeDefault
# or Localhost seccomp profile, capabilities (drop ALL, add only
# NET_BIND_SERVICE) and, as an extra beyond the standard, a read-only root
# filesystem.
#
# Input: the AdmissionRequest (or a whole AdmissionReview). Checks Pods and the
# pod templates of Deployments, StatefulSets, DaemonSets, ReplicaSets,
# ReplicationControllers, Jobs and CronJobs; containers, initContainers and
# ephemeralContainers (the read-only root filesystem: containers and
# initContainers only, ephemeral debug containers are exempt).
#
# Parameters: data.config.kubernetes.pod_security.restricted (all optional)
#   exempt_namespaces       (default: data.config.kubernetes.exempt_namespaces,
#                           else ["kube-system"])
#   enforcement             "deny" (default), "warn" or "dryrun"
#   allowed_volume_types    (default: the PSS list)
#   allowed_added_capabilities (default: ["NET_BIND_SERVICE"])
#   require_read_only_root_filesystem (default: true)
#   include_baseline        also report the Baseline violations (default: true)
package kubernetes.pod_security.restricted

# ---- parameters ----

default config := {}

config := data.config.kubernetes.pod_security.restricted

default global_exempt_namespaces := ["kube-system"]

global_exempt_namespaces := data.config.kubernetes.exempt_namespaces

exempt_namespaces := object.get(config, "exempt_namespaces", global_exempt_namespaces)

enforcement := object.get(config, "enforcement", "deny")

default_volume_types := [
	"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
	"persistentVolumeClaim", "projected", "secret",
]

allowed_volume_types := object.get(config, "allowed_volume_types", default_volume_types)

allowed_added_capabilities := object.get(config, "allowed_added_capabilities", ["NET_BIND_SERVICE"])

require_read_only_root_filesystem := object.get(config, "require_read_only_root_filesystem", true)

include_baseline := object.get(config, "include_baseline", true)

# ---- what is being admitted ----

request := input.request if input.request

request := input if not input.request

template_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"}

pod := request.object if request.kind.kind == "Pod"

pod := request.object.spec.template if request.kind.kind in template_kinds

pod := request.object.spec.jobTemplate.spec.template if request.kind.kind == "CronJob"

pod_spec := pod.spec

pod_context := object.get(pod_spec, "securityContext", {})

containers contains c if {
	some field in ["containers", "initContainers", "ephemeralContainers"]
	some c in pod_spec[field]
}

exempt if request.namespace in exempt_namespaces

# ---- violations ----

# Restricted includes Baseline.
violation contains msg if {
	include_baseline == true
	some msg in data.kubernetes.pod_security.baseline.violation
}

violation contains msg if {
	some v in pod_spec.volumes
	some volume_type, _ in v
	volume_type != "name"
	not volume_type in allowed_volume_types
	msg := sprintf("volume %q uses the volume type %q, which is not allowed", [v.name, volume_type])
}

violation contains msg if {
	some c in containers
	not c.securityContext.allowPrivilegeEscalation == false
	msg := sprintf("container %q must set securityContext.allowPrivilegeEscalation to false", [c.name])
}

# runAsNonRoot: true on the container, or on the pod and not overridden
violation contains msg if {
	some c in containers
	not runs_as_non_root(c)
	msg := sprintf("container %q must set securityContext.runAsNonRoot to true (on the container or the pod)", [c.name])
}

violation contains "pod must not set securityContext.runAsUser to 0 (root)" if {
	pod_context.runAsUser == 0
}

violation contains msg if {
	some c in containers
	c.securityContext.runAsUser == 0
	msg := sprintf("container %q must not set securityContext.runAsUser to 0 (root)", [c.name])
}

# seccomp: RuntimeDefault or Localhost, on the container or the pod
violation contains msg if {
	some c in containers
	not seccomp_confined(c)
	msg := sprintf("container %q must use the RuntimeDefault or Localhost seccomp profile (on the container or the pod)", [c.name])
}

violation contains msg if {
	some c in containers
	not "ALL" in object.get(c, ["securityContext", "capabilities", "drop"], [])
	msg := sprintf("container %q must drop ALL capabilities", [c.name])
}

violation contains msg if {
	some c in containers
	some cap in c.securityContext.capabilities.add
	not cap in allowed_added_capabilities
	msg := sprintf("container %q may add only %v, not %q", [c.name, allowed_added_capabilities, cap])
}

violation contains msg if {
	require_read_only_root_filesystem == true
	some field in ["containers", "initContainers"]
	some c in pod_spec[field]
	not c.securityContext.readOnlyRootFilesystem == true
	msg := sprintf("container %q must set securityContext.readOnlyRootFilesystem to true", [c.name])
}

# ---- decision ----

deny contains sprintf("[pod-security/restricted] %s", [msg]) if {
	not exempt
	enforcement == "deny"
	some msg in violation
}

warn contains sprintf("[pod-security/restricted] %s", [msg]) if {
	not exempt
	enforcement == "warn"
	some msg in violation
}

# ---- helpers ----

runs_as_non_root(c) if c.securityContext.runAsNonRoot == true

runs_as_non_root(c) if {
	not has_key(object.get(c, "securityContext", {}), "runAsNonRoot")
	pod_context.runAsNonRoot == true
}

seccomp_confined(c) if c.securityContext.seccompProfile.type in {"RuntimeDefault", "Localhost"}

seccomp_confined(c) if {
	not c.securityContext.seccompProfile.type
	pod_context.seccompProfile.type in {"RuntimeDefault", "Localhost"}
}

has_key(obj, key) if _ = obj[key]
