# Pod Security Standards: Baseline profile (Rego v1).
#
# Prevents known privilege escalations: host namespaces, privileged and
# Windows HostProcess containers, capabilities beyond the baseline set,
# hostPath volumes, host ports, AppArmor / SELinux / seccomp overrides,
# /proc mount and unsafe sysctls.
#
# Input: the AdmissionRequest (what the webhook passes as `input`), or a whole
# AdmissionReview (its `request` is used). Checks Pods and the pod templates of
# Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers,
# Jobs and CronJobs, for containers, initContainers and ephemeralContainers.
#
# Parameters: data.config.kubernetes.pod_security.baseline (all optional)
#   exempt_namespaces    namespaces never checked
#                        (default: data.config.kubernetes.exempt_namespaces,
#                        else ["kube-system"])
#   enforcement          "deny" (default), "warn", or "dryrun" (violations only)
#   allowed_capabilities capabilities that may be added (default: the PSS list)
#   allowed_host_ports   host ports that may be used (default: none)
#   allowed_sysctls      sysctls that may be set (default: the PSS safe list)
#   allowed_selinux_types SELinux types that may be set (default: the PSS list)
package kubernetes.pod_security.baseline

# ---- parameters ----

default config := {}

config := data.config.kubernetes.pod_security.baseline

default global_exempt_namespaces := ["kube-system"]

global_exempt_namespaces := data.config.kubernetes.exempt_namespaces

exempt_namespaces := object.get(config, "exempt_namespaces", global_exempt_namespaces)

enforcement := object.get(config, "enforcement", "deny")

default_capabilities := [
	"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
	"NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
]

allowed_capabilities := object.get(config, "allowed_capabilities", default_capabilities)

allowed_host_ports := object.get(config, "allowed_host_ports", [])

default_sysctls := [
	"kernel.shm_rmid_forced",
	"net.ipv4.ip_local_port_range",
	"net.ipv4.ip_local_reserved_ports",
	"net.ipv4.ip_unprivileged_port_start",
	"net.ipv4.tcp_syncookies",
	"net.ipv4.ping_group_range",
	"net.ipv4.tcp_keepalive_time",
	"net.ipv4.tcp_fin_timeout",
	"net.ipv4.tcp_keepalive_intvl",
	"net.ipv4.tcp_keepalive_probes",
]

allowed_sysctls := object.get(config, "allowed_sysctls", default_sysctls)

default_selinux_types := ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]

allowed_selinux_types := object.get(config, "allowed_selinux_types", default_selinux_types)

# ---- what is being admitted ----

# the AdmissionRequest: the webhook's input, or the `request` of a whole review
request := input.request if input.request

request := input if not input.request

template_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"}

# the pod (metadata and spec) the request creates or updates
pod := request.object if request.kind.kind == "Pod"

pod := request.object.spec.template if request.kind.kind in template_kinds

pod := request.object.spec.jobTemplate.spec.template if request.kind.kind == "CronJob"

pod_spec := pod.spec

annotations := object.get(pod, ["metadata", "annotations"], {})

containers contains c if {
	some field in ["containers", "initContainers", "ephemeralContainers"]
	some c in pod_spec[field]
}

exempt if request.namespace in exempt_namespaces

# ---- violations ----

violation contains msg if {
	some field in ["hostNetwork", "hostPID", "hostIPC"]
	pod_spec[field] == true
	msg := sprintf("pod must not set %s: sharing host namespaces is forbidden", [field])
}

violation contains msg if {
	some c in containers
	c.securityContext.privileged == true
	msg := sprintf("container %q must not be privileged", [c.name])
}

violation contains "pod must not run Windows HostProcess containers" if {
	pod_spec.securityContext.windowsOptions.hostProcess == true
}

violation contains msg if {
	some c in containers
	c.securityContext.windowsOptions.hostProcess == true
	msg := sprintf("container %q must not be a Windows HostProcess container", [c.name])
}

violation contains msg if {
	some c in containers
	some cap in c.securityContext.capabilities.add
	not cap in allowed_capabilities
	msg := sprintf("container %q must not add capability %q", [c.name, cap])
}

violation contains msg if {
	some v in pod_spec.volumes
	v.hostPath
	msg := sprintf("volume %q must not be a hostPath volume", [v.name])
}

violation contains msg if {
	some c in containers
	some p in c.ports
	object.get(p, "hostPort", 0) != 0
	not p.hostPort in allowed_host_ports
	msg := sprintf("container %q must not use host port %v", [c.name, p.hostPort])
}

# AppArmor: the beta annotations and securityContext.appArmorProfile
violation contains msg if {
	some key, profile in annotations
	startswith(key, "container.apparmor.security.beta.kubernetes.io/")
	not allowed_apparmor_annotation(profile)
	msg := sprintf("annotation %s=%q: AppArmor profile must be runtime/default or localhost/*", [key, profile])
}

violation contains msg if {
	not allowed_apparmor_type(pod_spec.securityContext.appArmorProfile.type)
	msg := sprintf("pod AppArmor profile type %q is not allowed (RuntimeDefault or Localhost)", [pod_spec.securityContext.appArmorProfile.type])
}

violation contains msg if {
	some c in containers
	not allowed_apparmor_type(c.securityContext.appArmorProfile.type)
	msg := sprintf("container %q AppArmor profile type %q is not allowed (RuntimeDefault or Localhost)", [c.name, c.securityContext.appArmorProfile.type])
}

# SELinux: only the container types, no custom user or role
violation contains msg if {
	some who, opts in selinux_options
	selinux_type := object.get(opts, "type", "")
	not selinux_type in allowed_selinux_types
	msg := sprintf("%s must not set SELinux type %q", [who, selinux_type])
}

violation contains msg if {
	some who, opts in selinux_options
	some field in ["user", "role"]
	object.get(opts, field, "") != ""
	msg := sprintf("%s must not set a custom SELinux %s", [who, field])
}

violation contains msg if {
	some c in containers
	c.securityContext.procMount != "Default"
	msg := sprintf("container %q must use the Default /proc mount", [c.name])
}

# seccomp: Unconfined is forbidden (fields and the legacy annotations)
violation contains "pod seccomp profile must not be Unconfined" if {
	pod_spec.securityContext.seccompProfile.type == "Unconfined"
}

violation contains msg if {
	some c in containers
	c.securityContext.seccompProfile.type == "Unconfined"
	msg := sprintf("container %q seccomp profile must not be Unconfined", [c.name])
}

violation contains msg if {
	some key, profile in annotations
	seccomp_annotation(key)
	profile == "unconfined"
	msg := sprintf("annotation %s must not be unconfined", [key])
}

violation contains msg if {
	some s in pod_spec.securityContext.sysctls
	not s.name in allowed_sysctls
	msg := sprintf("pod must not set the unsafe sysctl %q", [s.name])
}

# ---- decision ----

deny contains sprintf("[pod-security/baseline] %s", [msg]) if {
	not exempt
	enforcement == "deny"
	some msg in violation
}

warn contains sprintf("[pod-security/baseline] %s", [msg]) if {
	not exempt
	enforcement == "warn"
	some msg in violation
}

# ---- helpers ----

allowed_apparmor_annotation("runtime/default")

allowed_apparmor_annotation(profile) if startswith(profile, "localhost/")

allowed_apparmor_type(t) if t in {"RuntimeDefault", "Localhost"}

selinux_options["pod"] := pod_spec.securityContext.seLinuxOptions

selinux_options[who] := opts if {
	some c in containers
	opts := c.securityContext.seLinuxOptions
	who := sprintf("container %q", [c.name])
}

seccomp_annotation("seccomp.security.alpha.kubernetes.io/pod")

seccomp_annotation(key) if startswith(key, "container.seccomp.security.alpha.kubernetes.io/")
