package kubernetes.pod_security.baseline_test

import data.kubernetes.pod_security.baseline

# ---- fixtures ----

app := {"name": "app", "image": "registry.example.com/shop/app:1.0"}

pod_request(spec) := {
	"uid": "0001",
	"kind": {"group": "", "version": "v1", "kind": "Pod"},
	"namespace": "shop",
	"operation": "CREATE",
	"object": {"metadata": {"name": "web", "namespace": "shop"}, "spec": spec},
}

annotated_pod_request(annotations, spec) := object.union(pod_request(spec), {"object": {"metadata": {"annotations": annotations}}})

# the parameters document (data.config) for this policy
params(p) := {"kubernetes": {"pod_security": {"baseline": p}}}

with_security_context(c, sc) := object.union(c, {"securityContext": sc})

# ---- allowed ----

test_minimal_pod_allowed if {
	count(baseline.deny) == 0 with input as pod_request({"containers": [app]})
	count(baseline.warn) == 0 with input as pod_request({"containers": [app]})
}

test_permitted_settings_allowed if {
	spec := {
		"hostNetwork": false,
		"securityContext": {
			"seccompProfile": {"type": "RuntimeDefault"},
			"appArmorProfile": {"type": "RuntimeDefault"},
			"seLinuxOptions": {"type": "container_t"},
			"sysctls": [{"name": "net.ipv4.tcp_syncookies", "value": "1"}],
		},
		"containers": [with_security_context(
			object.union(app, {"ports": [{"containerPort": 8080}, {"containerPort": 8443, "hostPort": 0}]}),
			{
				"privileged": false,
				"capabilities": {"add": ["NET_BIND_SERVICE", "CHOWN"]},
				"procMount": "Default",
				"appArmorProfile": {"type": "Localhost", "localhostProfile": "k8s-app"},
				"seccompProfile": {"type": "Localhost", "localhostProfile": "app.json"},
			},
		)],
		"volumes": [{"name": "cache", "emptyDir": {}}],
	}
	annotations := {
		"container.apparmor.security.beta.kubernetes.io/app": "localhost/k8s-app",
		"container.apparmor.security.beta.kubernetes.io/side": "runtime/default",
		"seccomp.security.alpha.kubernetes.io/pod": "runtime/default",
	}
	count(baseline.violation) == 0 with input as annotated_pod_request(annotations, spec)
}

# ---- host namespaces, privileged, HostProcess ----

test_host_namespaces_denied if {
	v := baseline.violation with input as pod_request({"hostNetwork": true, "hostPID": true, "hostIPC": true, "containers": [app]})
	v == {
		"pod must not set hostNetwork: sharing host namespaces is forbidden",
		"pod must not set hostPID: sharing host namespaces is forbidden",
		"pod must not set hostIPC: sharing host namespaces is forbidden",
	}
}

test_privileged_init_container_denied if {
	init := with_security_context({"name": "setup", "image": "x"}, {"privileged": true})
	d := baseline.deny with input as pod_request({"containers": [app], "initContainers": [init]})
	d == {`[pod-security/baseline] container "setup" must not be privileged`}
}

test_privileged_ephemeral_container_denied if {
	dbg := with_security_context({"name": "debug", "image": "x"}, {"privileged": true})
	v := baseline.violation with input as pod_request({"containers": [app], "ephemeralContainers": [dbg]})
	`container "debug" must not be privileged` in v
}

test_host_process_denied if {
	spec := {
		"securityContext": {"windowsOptions": {"hostProcess": true}},
		"containers": [with_security_context(app, {"windowsOptions": {"hostProcess": true}})],
	}
	v := baseline.violation with input as pod_request(spec)
	v == {"pod must not run Windows HostProcess containers", `container "app" must not be a Windows HostProcess container`}
}

# ---- capabilities ----

test_capability_outside_baseline_denied if {
	c := with_security_context(app, {"capabilities": {"add": ["NET_ADMIN", "CHOWN", "SYS_ADMIN"]}})
	v := baseline.violation with input as pod_request({"containers": [c]})
	v == {`container "app" must not add capability "NET_ADMIN"`, `container "app" must not add capability "SYS_ADMIN"`}
}

test_capability_allowed_from_data if {
	c := with_security_context(app, {"capabilities": {"add": ["NET_ADMIN"]}})
	count(baseline.violation) == 0 with input as pod_request({"containers": [c]})
		with data.config as params({"allowed_capabilities": ["NET_ADMIN"]})
}

# ---- volumes and ports ----

test_host_path_denied if {
	spec := {"containers": [app], "volumes": [{"name": "root", "hostPath": {"path": "/"}}, {"name": "tmp", "emptyDir": {}}]}
	v := baseline.violation with input as pod_request(spec)
	v == {`volume "root" must not be a hostPath volume`}
}

test_host_port_denied if {
	c := object.union(app, {"ports": [{"containerPort": 80, "hostPort": 80}]})
	v := baseline.violation with input as pod_request({"containers": [c]})
	v == {`container "app" must not use host port 80`}
}

test_host_port_allowed_from_data if {
	c := object.union(app, {"ports": [{"containerPort": 80, "hostPort": 80}]})
	count(baseline.violation) == 0 with input as pod_request({"containers": [c]})
		with data.config as params({"allowed_host_ports": [80, 443]})
}

# ---- AppArmor ----

test_apparmor_annotation_unconfined_denied if {
	annotations := {"container.apparmor.security.beta.kubernetes.io/app": "unconfined"}
	v := baseline.violation with input as annotated_pod_request(annotations, {"containers": [app]})
	v == {`annotation container.apparmor.security.beta.kubernetes.io/app="unconfined": AppArmor profile must be runtime/default or localhost/*`}
}

test_apparmor_field_unconfined_denied if {
	spec := {
		"securityContext": {"appArmorProfile": {"type": "Unconfined"}},
		"containers": [with_security_context(app, {"appArmorProfile": {"type": "Unconfined"}})],
	}
	v := baseline.violation with input as pod_request(spec)
	v == {
		`pod AppArmor profile type "Unconfined" is not allowed (RuntimeDefault or Localhost)`,
		`container "app" AppArmor profile type "Unconfined" is not allowed (RuntimeDefault or Localhost)`,
	}
}

# ---- SELinux ----

test_selinux_custom_options_denied if {
	spec := {
		"securityContext": {"seLinuxOptions": {"type": "spc_t"}},
		"containers": [with_security_context(app, {"seLinuxOptions": {"user": "system_u", "role": "system_r"}})],
	}
	v := baseline.violation with input as pod_request(spec)
	v == {
		`pod must not set SELinux type "spc_t"`,
		`container "app" must not set a custom SELinux user`,
		`container "app" must not set a custom SELinux role`,
	}
}

# ---- /proc mount ----

test_unmasked_proc_mount_denied if {
	c := with_security_context(app, {"procMount": "Unmasked"})
	v := baseline.violation with input as pod_request({"containers": [c]})
	v == {`container "app" must use the Default /proc mount`}
}

# ---- seccomp ----

test_seccomp_unconfined_denied if {
	spec := {
		"securityContext": {"seccompProfile": {"type": "Unconfined"}},
		"containers": [with_security_context(app, {"seccompProfile": {"type": "Unconfined"}})],
	}
	v := baseline.violation with input as pod_request(spec)
	v == {"pod seccomp profile must not be Unconfined", `container "app" seccomp profile must not be Unconfined`}
}

test_seccomp_annotations_unconfined_denied if {
	annotations := {
		"seccomp.security.alpha.kubernetes.io/pod": "unconfined",
		"container.seccomp.security.alpha.kubernetes.io/app": "unconfined",
	}
	v := baseline.violation with input as annotated_pod_request(annotations, {"containers": [app]})
	v == {
		"annotation seccomp.security.alpha.kubernetes.io/pod must not be unconfined",
		"annotation container.seccomp.security.alpha.kubernetes.io/app must not be unconfined",
	}
}

# ---- sysctls ----

test_unsafe_sysctl_denied if {
	spec := {"securityContext": {"sysctls": [{"name": "kernel.msgmax", "value": "65536"}, {"name": "kernel.shm_rmid_forced", "value": "1"}]}, "containers": [app]}
	v := baseline.violation with input as pod_request(spec)
	v == {`pod must not set the unsafe sysctl "kernel.msgmax"`}
}

test_sysctl_allowed_from_data if {
	spec := {"securityContext": {"sysctls": [{"name": "kernel.msgmax", "value": "65536"}]}, "containers": [app]}
	count(baseline.violation) == 0 with input as pod_request(spec)
		with data.config as params({"allowed_sysctls": ["kernel.msgmax"]})
}

# ---- pod templates ----

test_deployment_template_checked if {
	req := {
		"uid": "0002",
		"kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
		"namespace": "shop",
		"operation": "UPDATE",
		"object": {"spec": {"template": {
			"metadata": {"annotations": {"seccomp.security.alpha.kubernetes.io/pod": "unconfined"}},
			"spec": {"hostPID": true, "containers": [app]},
		}}},
	}
	d := baseline.deny with input as req
	d == {
		"[pod-security/baseline] pod must not set hostPID: sharing host namespaces is forbidden",
		"[pod-security/baseline] annotation seccomp.security.alpha.kubernetes.io/pod must not be unconfined",
	}
}

test_cronjob_template_checked if {
	req := {
		"uid": "0003",
		"kind": {"group": "batch", "version": "v1", "kind": "CronJob"},
		"namespace": "shop",
		"operation": "CREATE",
		"object": {"spec": {"jobTemplate": {"spec": {"template": {"spec": {"hostIPC": true, "containers": [app]}}}}}},
	}
	v := baseline.violation with input as req
	v == {"pod must not set hostIPC: sharing host namespaces is forbidden"}
}

test_whole_admission_review_accepted if {
	review := {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": pod_request({"hostNetwork": true, "containers": [app]})}
	v := baseline.violation with input as review
	v == {"pod must not set hostNetwork: sharing host namespaces is forbidden"}
}

test_other_kinds_ignored if {
	req := {"kind": {"kind": "ConfigMap"}, "namespace": "shop", "operation": "CREATE", "object": {"data": {"hostNetwork": "true"}}}
	count(baseline.violation) == 0 with input as req
}

# ---- exemptions and enforcement ----

test_kube_system_exempt_by_default if {
	req := object.union(pod_request({"hostNetwork": true, "containers": [app]}), {"namespace": "kube-system"})
	count(baseline.deny) == 0 with input as req
}

test_exempt_namespaces_from_global_data if {
	req := pod_request({"hostNetwork": true, "containers": [app]})
	count(baseline.deny) == 0 with input as req with data.config as {"kubernetes": {"exempt_namespaces": ["shop"]}}
	count(baseline.deny) == 1 with input as object.union(req, {"namespace": "kube-system"})
		with data.config as {"kubernetes": {"exempt_namespaces": ["shop"]}}
}

test_exempt_namespaces_from_policy_data if {
	req := pod_request({"hostNetwork": true, "containers": [app]})
	count(baseline.deny) == 0 with input as req
		with data.config as params({"exempt_namespaces": {"shop"}})
}

test_warn_enforcement if {
	req := pod_request({"hostNetwork": true, "containers": [app]})
	cfg := {"enforcement": "warn"}
	count(baseline.deny) == 0 with input as req with data.config as params(cfg)
	w := baseline.warn with input as req with data.config as params(cfg)
	w == {"[pod-security/baseline] pod must not set hostNetwork: sharing host namespaces is forbidden"}
}

test_dryrun_enforcement if {
	req := pod_request({"hostNetwork": true, "containers": [app]})
	cfg := {"enforcement": "dryrun"}
	count(baseline.deny) == 0 with input as req with data.config as params(cfg)
	count(baseline.warn) == 0 with input as req with data.config as params(cfg)
	count(baseline.violation) == 1 with input as req with data.config as params(cfg)
}
