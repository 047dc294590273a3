package kubernetes.pod_security.restricted_test

import data.kubernetes.pod_security.restricted

# ---- fixtures ----

hardened := {
	"allowPrivilegeEscalation": false,
	"readOnlyRootFilesystem": true,
	"capabilities": {"drop": ["ALL"]},
}

bare := {"name": "app", "image": "registry.example.com/shop/app:1.0"}

app := object.union(bare, {"securityContext": hardened})

pod_context := {"runAsNonRoot": true, "runAsUser": 1000, "seccompProfile": {"type": "RuntimeDefault"}}

pod_request(spec) := {
	"uid": "0001",
	"kind": {"group": "", "version": "v1", "kind": "Pod"},
	"namespace": "shop",
	"operation": "CREATE",
	"object": {"metadata": {"name": "web", "namespace": "shop"}, "spec": spec},
}

# a compliant pod spec with the given containers
spec_with(containers) := {"securityContext": pod_context, "containers": containers}

container_with(sc) := object.union(app, {"securityContext": object.union(hardened, sc)})

params(p) := {"kubernetes": {"pod_security": {"restricted": p}}}

# ---- allowed ----

test_hardened_pod_allowed if {
	spec := object.union(spec_with([app]), {"volumes": [
		{"name": "config", "configMap": {"name": "web"}},
		{"name": "data", "persistentVolumeClaim": {"claimName": "web"}},
		{"name": "tmp", "emptyDir": {}},
	]})
	count(restricted.deny) == 0 with input as pod_request(spec)
	count(restricted.warn) == 0 with input as pod_request(spec)
}

test_container_level_settings_allowed if {
	c := container_with({
		"runAsNonRoot": true,
		"seccompProfile": {"type": "Localhost", "localhostProfile": "app.json"},
		"capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]},
	})
	count(restricted.violation) == 0 with input as pod_request({"containers": [c]})
}

# ---- volume types ----

test_volume_types_denied if {
	spec := object.union(spec_with([app]), {"volumes": [
		{"name": "nfs", "nfs": {"server": "nfs.example.com", "path": "/"}},
		{"name": "repo", "gitRepo": {"repository": "https://example.com/x.git"}},
	]})
	v := restricted.violation with input as pod_request(spec)
	v == {
		`volume "nfs" uses the volume type "nfs", which is not allowed`,
		`volume "repo" uses the volume type "gitRepo", which is not allowed`,
	}
}

test_volume_types_from_data if {
	spec := object.union(spec_with([app]), {"volumes": [{"name": "nfs", "nfs": {"server": "nfs.example.com", "path": "/"}}]})
	count(restricted.violation) == 0 with input as pod_request(spec)
		with data.config as params({"allowed_volume_types": ["nfs"]})
}

# ---- privilege escalation ----

test_privilege_escalation_denied if {
	c := object.union(bare, {"securityContext": {"readOnlyRootFilesystem": true, "capabilities": {"drop": ["ALL"]}}})
	d := restricted.deny with input as pod_request(spec_with([c]))
	d == {`[pod-security/restricted] container "app" must set securityContext.allowPrivilegeEscalation to false`}
}

# ---- non-root ----

test_run_as_non_root_missing_denied if {
	spec := {"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}, "containers": [app]}
	v := restricted.violation with input as pod_request(spec)
	v == {`container "app" must set securityContext.runAsNonRoot to true (on the container or the pod)`}
}

test_run_as_non_root_overridden_denied if {
	c := container_with({"runAsNonRoot": false})
	v := restricted.violation with input as pod_request(spec_with([c]))
	v == {`container "app" must set securityContext.runAsNonRoot to true (on the container or the pod)`}
}

test_root_uid_denied if {
	spec := {
		"securityContext": object.union(pod_context, {"runAsUser": 0}),
		"containers": [app],
		"initContainers": [object.union(container_with({"runAsUser": 0}), {"name": "setup"})],
	}
	v := restricted.violation with input as pod_request(spec)
	v == {
		"pod must not set securityContext.runAsUser to 0 (root)",
		`container "setup" must not set securityContext.runAsUser to 0 (root)`,
	}
}

# ---- seccomp ----

test_seccomp_missing_denied if {
	spec := {"securityContext": {"runAsNonRoot": true}, "containers": [app]}
	v := restricted.violation with input as pod_request(spec)
	v == {`container "app" must use the RuntimeDefault or Localhost seccomp profile (on the container or the pod)`}
}

test_seccomp_unconfined_container_denied if {
	c := container_with({"seccompProfile": {"type": "Unconfined"}})
	v := restricted.violation with input as pod_request(spec_with([c]))
	v == {
		`container "app" must use the RuntimeDefault or Localhost seccomp profile (on the container or the pod)`,
		# Baseline is included
		`container "app" seccomp profile must not be Unconfined`,
	}
}

# ---- capabilities ----

test_capabilities_not_dropped_denied if {
	c := object.union(bare, {"securityContext": {"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true}})
	v := restricted.violation with input as pod_request(spec_with([c]))
	v == {`container "app" must drop ALL capabilities`}
}

test_capability_added_denied if {
	c := container_with({"capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE", "CHOWN"]}})
	v := restricted.violation with input as pod_request(spec_with([c]))
	v == {`container "app" may add only ["NET_BIND_SERVICE"], not "CHOWN"`}
}

# ---- read-only root filesystem ----

test_writable_root_filesystem_denied if {
	c := object.union(bare, {"securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}})
	v := restricted.violation with input as pod_request(spec_with([c]))
	v == {`container "app" must set securityContext.readOnlyRootFilesystem to true`}
}

test_read_only_root_filesystem_optional if {
	c := object.union(bare, {"securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}})
	count(restricted.violation) == 0 with input as pod_request(spec_with([c]))
		with data.config as params({"require_read_only_root_filesystem": false})
}

test_ephemeral_container_may_write_root_filesystem if {
	dbg := {"name": "debug", "image": "registry.example.com/tools/debug:1.0", "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}}
	spec := object.union(spec_with([app]), {"ephemeralContainers": [dbg]})
	count(restricted.violation) == 0 with input as pod_request(spec)
}

# ---- baseline included ----

test_baseline_violations_included if {
	spec := object.union(spec_with([app]), {"hostNetwork": true})
	d := restricted.deny with input as pod_request(spec)
	d == {"[pod-security/restricted] pod must not set hostNetwork: sharing host namespaces is forbidden"}
}

test_baseline_can_be_left_out if {
	spec := object.union(spec_with([app]), {"hostNetwork": true})
	count(restricted.violation) == 0 with input as pod_request(spec)
		with data.config as params({"include_baseline": false})
}

# ---- pod templates ----

test_statefulset_template_checked if {
	req := {
		"kind": {"group": "apps", "version": "v1", "kind": "StatefulSet"},
		"namespace": "db",
		"operation": "CREATE",
		"object": {"spec": {"template": {"spec": {"containers": [{"name": "db", "image": "x"}]}}}},
	}
	v := restricted.violation with input as req
	v == {
		`container "db" must set securityContext.allowPrivilegeEscalation to false`,
		`container "db" must set securityContext.runAsNonRoot to true (on the container or the pod)`,
		`container "db" must use the RuntimeDefault or Localhost seccomp profile (on the container or the pod)`,
		`container "db" must drop ALL capabilities`,
		`container "db" must set securityContext.readOnlyRootFilesystem to true`,
	}
}

test_cronjob_template_checked if {
	req := {
		"kind": {"group": "batch", "version": "v1", "kind": "CronJob"},
		"namespace": "shop",
		"operation": "CREATE",
		"object": {"spec": {"jobTemplate": {"spec": {"template": {"spec": spec_with([container_with({"allowPrivilegeEscalation": true})])}}}}},
	}
	v := restricted.violation with input as {"request": req}
	v == {`container "app" must set securityContext.allowPrivilegeEscalation to false`}
}

# ---- exemptions and enforcement ----

test_exempt_namespace if {
	req := object.union(pod_request({"containers": [{"name": "x", "image": "x"}]}), {"namespace": "kube-system"})
	count(restricted.violation) > 0 with input as req
	count(restricted.deny) == 0 with input as req
}

test_exempt_namespaces_from_data if {
	req := pod_request({"containers": [{"name": "x", "image": "x"}]})
	count(restricted.deny) == 0 with input as req with data.config as params({"exempt_namespaces": ["shop"]})
	count(restricted.deny) == 0 with input as req with data.config as {"kubernetes": {"exempt_namespaces": ["shop"]}}
}

test_warn_enforcement if {
	c := container_with({"allowPrivilegeEscalation": true})
	req := pod_request(spec_with([c]))
	count(restricted.deny) == 0 with input as req with data.config as params({"enforcement": "warn"})
	w := restricted.warn with input as req with data.config as params({"enforcement": "warn"})
	w == {`[pod-security/restricted] container "app" must set securityContext.allowPrivilegeEscalation to false`}
}
