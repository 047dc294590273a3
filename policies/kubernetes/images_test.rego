package kubernetes.images_test

import data.kubernetes.images

# ---- fixtures ----

registries := {"kubernetes": {"images": {"allowed_registries": ["registry.example.com/", "ghcr.io/example", "docker.io/library/"]}}}

params(p) := {"kubernetes": {"images": object.union({"allowed_registries": ["registry.example.com/", "ghcr.io/example", "docker.io/library/"]}, p)}}

digest := "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

pod_request(images) := {
	"uid": "0001",
	"kind": {"group": "", "version": "v1", "kind": "Pod"},
	"namespace": "shop",
	"operation": "CREATE",
	"object": {"metadata": {"name": "web"}, "spec": {"containers": [{"name": sprintf("c%d", [i]), "image": img} | some i, img in images]}},
}

violations(images_list) := v if {
	v := images.violation with input as pod_request(images_list) with data.config as registries
}

# ---- allowed ----

test_allowed_registries_pass if {
	count(violations([
		"registry.example.com/shop/web:1.4.2",
		"ghcr.io/example/tool:v2",
		"nginx:1.27",
		concat("", ["registry.example.com/shop/web@", digest]),
	])) == 0
}

test_registry_with_port_and_tag if {
	cfg := params({"allowed_registries": ["localhost:5000"]})
	count(images.violation) == 0 with input as pod_request(["localhost:5000/app:1.0"]) with data.config as cfg
}

# ---- registries ----

test_untrusted_registry_denied if {
	v := violations(["quay.io/evil/miner:1.0"])
	v == {`container "c0": image "quay.io/evil/miner:1.0" is not from an allowed registry ["registry.example.com/", "ghcr.io/example", "docker.io/library/"]`}
}

test_registry_prefix_matches_at_path_boundary if {
	count(violations(["ghcr.io/example-evil/app:1.0"])) == 1
	count(violations(["registry.example.com.evil.io/app:1.0"])) == 1
	count(violations(["ghcr.io/exampl/app:1.0"])) == 1
	count(violations(["ghcr.io/example/team/app:1.0"])) == 0
}

test_docker_hub_user_images_normalized if {
	# "someone/app" is docker.io/someone/app: not under docker.io/library/
	count(violations(["someone/app:1.0"])) == 1
	count(images.violation) == 0 with input as pod_request(["someone/app:1.0"])
		with data.config as params({"allowed_registries": ["docker.io/someone"]})
}

test_no_registries_configured_fails_closed if {
	d := images.deny with input as pod_request(["registry.example.com/shop/web:1.0"])
	d == {`[images] container "c0": image "registry.example.com/shop/web:1.0" is not from an allowed registry []`}
}

# ---- tags ----

test_latest_denied if {
	v := violations(["registry.example.com/shop/web:latest"])
	v == {`container "c0": image "registry.example.com/shop/web:latest" uses the mutable tag latest; pin a version`}
}

test_untagged_denied if {
	v := violations(["registry.example.com/shop/web", "nginx"])
	v == {
		`container "c0": image "registry.example.com/shop/web" has no tag (means latest); pin a version`,
		`container "c1": image "nginx" has no tag (means latest); pin a version`,
	}
}

test_latest_allowed_from_data if {
	count(images.violation) == 0 with input as pod_request(["registry.example.com/shop/web:latest", "nginx"])
		with data.config as params({"allow_latest": true})
}

# ---- digests ----

test_digest_required if {
	cfg := params({"require_digest": true})
	v := images.violation with input as pod_request(["registry.example.com/shop/web:1.0", "registry.example.com/shop/web@sha256:abc"])
		with data.config as cfg
	v == {
		`container "c0": image "registry.example.com/shop/web:1.0" must be pinned by a sha256 digest (@sha256:...)`,
		`container "c1": image "registry.example.com/shop/web@sha256:abc" must be pinned by a sha256 digest (@sha256:...)`,
	}
	count(images.violation) == 0 with input as pod_request([concat("", ["registry.example.com/shop/web:1.0@", digest])]) with data.config as cfg
}

# ---- containers of every kind and pod templates ----

test_init_and_ephemeral_containers_checked if {
	req := {
		"kind": {"kind": "Pod"},
		"namespace": "shop",
		"operation": "UPDATE",
		"object": {"spec": {
			"containers": [{"name": "app", "image": "registry.example.com/shop/web:1.0"}],
			"initContainers": [{"name": "init", "image": "busybox"}],
			"ephemeralContainers": [{"name": "debug", "image": "quay.io/tools/debug:1"}],
		}},
	}
	v := images.violation with input as req with data.config as registries
	v == {
		`container "init": image "busybox" has no tag (means latest); pin a version`,
		`container "debug": image "quay.io/tools/debug:1" is not from an allowed registry ["registry.example.com/", "ghcr.io/example", "docker.io/library/"]`,
	}
}

test_workload_templates_checked if {
	template := {"spec": {"containers": [{"name": "app", "image": "quay.io/x/y:1"}]}}
	some kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"]
	req := {"kind": {"kind": kind}, "namespace": "shop", "operation": "CREATE", "object": {"spec": {"template": template}}}
	count(images.deny) == 1 with input as req with data.config as registries
}

test_cronjob_template_checked if {
	req := {"request": {
		"kind": {"kind": "CronJob"}, "namespace": "shop", "operation": "CREATE",
		"object": {"spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "job", "image": "registry.example.com/batch/job:latest"}]}}}}}},
	}}
	d := images.deny with input as req with data.config as registries
	d == {`[images] container "job": image "registry.example.com/batch/job:latest" uses the mutable tag latest; pin a version`}
}

# ---- exemptions and enforcement ----

test_exempt_namespaces if {
	req := object.union(pod_request(["quay.io/evil/miner:1.0"]), {"namespace": "kube-system"})
	count(images.deny) == 0 with input as req with data.config as registries
	req2 := object.union(pod_request(["quay.io/evil/miner:1.0"]), {"namespace": "tools"})
	count(images.deny) == 0 with input as req2 with data.config as params({"exempt_namespaces": ["tools"]})
	count(images.deny) == 0 with input as req2 with data.config as {"kubernetes": {"exempt_namespaces": ["tools"]}}
}

test_warn_enforcement if {
	req := pod_request(["quay.io/evil/miner:1.0"])
	cfg := params({"enforcement": "warn"})
	count(images.deny) == 0 with input as req with data.config as cfg
	count(images.warn) == 1 with input as req with data.config as cfg
}
