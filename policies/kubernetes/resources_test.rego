package kubernetes.resources_test

import data.kubernetes.resources

# ---- fixtures ----

sized := {"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"cpu": "1", "memory": "512Mi"}}

container(name, res) := {"name": name, "image": "registry.example.com/shop/web:1.0", "resources": res}

pod_request(spec) := {
	"uid": "0001",
	"kind": {"group": "", "version": "v1", "kind": "Pod"},
	"namespace": "shop",
	"operation": "CREATE",
	"object": {"metadata": {"name": "web"}, "spec": spec},
}

params(p) := {"kubernetes": {"resources": p}}

# ---- allowed ----

test_sized_containers_allowed if {
	spec := {"containers": [container("app", sized)], "initContainers": [container("init", sized)]}
	count(resources.deny) == 0 with input as pod_request(spec)
	count(resources.warn) == 0 with input as pod_request(spec)
}

test_ephemeral_containers_not_checked if {
	spec := {"containers": [container("app", sized)], "ephemeralContainers": [{"name": "debug", "image": "x"}]}
	count(resources.violation) == 0 with input as pod_request(spec)
}

# ---- denied ----

test_missing_requests_and_limits_denied if {
	spec := {"containers": [{"name": "app", "image": "x"}]}
	d := resources.deny with input as pod_request(spec)
	d == {
		`[resources] container "app" must request cpu (resources.requests.cpu)`,
		`[resources] container "app" must request memory (resources.requests.memory)`,
		`[resources] container "app" must limit cpu (resources.limits.cpu)`,
		`[resources] container "app" must limit memory (resources.limits.memory)`,
	}
}

test_missing_memory_limit_in_init_container_denied if {
	res := {"requests": sized.requests, "limits": {"cpu": "1"}}
	spec := {"containers": [container("app", sized)], "initContainers": [container("init", res)]}
	v := resources.violation with input as pod_request(spec)
	v == {`container "init" must limit memory (resources.limits.memory)`}
}

test_required_resources_from_data if {
	res := {"requests": {"memory": "128Mi"}, "limits": {"memory": "128Mi"}}
	spec := {"containers": [container("app", res)]}
	count(resources.violation) == 2 with input as pod_request(spec)
	count(resources.violation) == 0 with input as pod_request(spec)
		with data.config as params({"required_requests": ["memory"], "required_limits": ["memory"]})
	v := resources.violation with input as pod_request(spec)
		with data.config as params({"required_requests": ["memory", "ephemeral-storage"], "required_limits": []})
	v == {`container "app" must request ephemeral-storage (resources.requests.ephemeral-storage)`}
}

test_max_limits if {
	big := {"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"cpu": "8", "memory": "16Gi"}}
	spec := {"containers": [container("app", sized), container("big", big)]}
	cfg := params({"max_limits": {"cpu": "4", "memory": "8Gi"}})
	v := resources.violation with input as pod_request(spec) with data.config as cfg
	v == {
		`container "big": cpu limit 8 exceeds the maximum 4`,
		`container "big": memory limit 16Gi exceeds the maximum 8Gi`,
	}
}

test_max_limits_numeric_quantities if {
	res := {"requests": {"cpu": 1, "memory": "1Gi"}, "limits": {"cpu": 2, "memory": "1Gi"}}
	spec := {"containers": [container("app", res)]}
	count(resources.violation) == 0 with input as pod_request(spec) with data.config as params({"max_limits": {"cpu": "2000m"}})
	count(resources.violation) == 1 with input as pod_request(spec) with data.config as params({"max_limits": {"cpu": "1500m"}})
}

# ---- pod templates ----

test_workload_templates_checked if {
	template := {"spec": {"containers": [container("app", {})]}}
	req := {"kind": {"kind": "DaemonSet"}, "namespace": "shop", "operation": "CREATE", "object": {"spec": {"template": template}}}
	count(resources.deny) == 4 with input as req
	cron := {"kind": {"kind": "CronJob"}, "namespace": "shop", "operation": "CREATE", "object": {"spec": {"jobTemplate": {"spec": {"template": template}}}}}
	count(resources.deny) == 4 with input as {"request": cron}
}

# ---- exemptions and enforcement ----

test_exempt_namespaces if {
	spec := {"containers": [{"name": "app", "image": "x"}]}
	count(resources.deny) == 0 with input as object.union(pod_request(spec), {"namespace": "kube-system"})
	count(resources.deny) == 0 with input as pod_request(spec) with data.config as params({"exempt_namespaces": ["shop"]})
	count(resources.deny) == 0 with input as pod_request(spec) with data.config as {"kubernetes": {"exempt_namespaces": ["shop"]}}
}

test_warn_enforcement if {
	spec := {"containers": [{"name": "app", "image": "x"}]}
	count(resources.deny) == 0 with input as pod_request(spec) with data.config as params({"enforcement": "warn"})
	count(resources.warn) == 4 with input as pod_request(spec) with data.config as params({"enforcement": "warn"})
}
