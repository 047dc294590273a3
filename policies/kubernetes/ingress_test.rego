package kubernetes.ingress_test

import data.kubernetes.ingress

# ---- fixtures ----

ing(name, hosts) := {
	"metadata": {"name": name},
	"spec": {"rules": [{"host": h, "http": {"paths": [{"path": "/", "pathType": "Prefix"}]}} | some h in hosts]},
}

# kube-mgmt shape: data.kubernetes.ingresses[namespace][name]
inventory := {
	"shop": {"web": ing("web", ["shop.example.com"])},
	"blog": {"blog": ing("blog", ["blog.example.com", "www.example.com"])},
}

request(operation, namespace, obj) := {
	"uid": "0001",
	"kind": {"group": "networking.k8s.io", "version": "v1", "kind": "Ingress"},
	"namespace": namespace,
	"operation": operation,
	"object": obj,
}

params(p) := {"kubernetes": {"ingress": p}}

# ---- allowed ----

test_new_host_allowed if {
	req := request("CREATE", "docs", ing("docs", ["docs.example.com"]))
	count(ingress.deny) == 0 with input as req with data.kubernetes.ingresses as inventory
	count(ingress.warn) == 0 with input as req with data.kubernetes.ingresses as inventory
}

test_updating_itself_allowed if {
	req := request("UPDATE", "shop", ing("web", ["shop.example.com"]))
	count(ingress.deny) == 0 with input as req with data.kubernetes.ingresses as inventory
}

test_other_kinds_and_deletes_ignored if {
	del := object.union(request("DELETE", "docs", null), {"oldObject": ing("x", ["shop.example.com"])})
	count(ingress.deny) == 0 with input as del with data.kubernetes.ingresses as inventory
	svc := {"kind": {"kind": "Service"}, "namespace": "docs", "operation": "CREATE", "object": ing("x", ["shop.example.com"])}
	count(ingress.deny) == 0 with input as svc with data.kubernetes.ingresses as inventory
}

# ---- denied ----

test_duplicate_host_denied if {
	req := request("CREATE", "docs", ing("docs", ["docs.example.com", "Shop.Example.com"]))
	d := ingress.deny with input as req with data.kubernetes.ingresses as inventory
	d == {`[ingress] Ingress "docs": host "shop.example.com" is already served by ["shop/web"]`}
}

test_same_name_other_namespace_denied if {
	req := request("CREATE", "staging", ing("web", ["shop.example.com"]))
	count(ingress.deny) == 1 with input as req with data.kubernetes.ingresses as inventory
}

test_same_namespace_sharing_from_data if {
	req := request("CREATE", "shop", ing("web-api", ["shop.example.com"]))
	count(ingress.deny) == 1 with input as req with data.kubernetes.ingresses as inventory
	count(ingress.deny) == 0 with input as req with data.kubernetes.ingresses as inventory
		with data.config as params({"allow_same_namespace": true})
	req2 := request("CREATE", "docs", ing("docs", ["shop.example.com"]))
	count(ingress.deny) == 1 with input as req2 with data.kubernetes.ingresses as inventory
		with data.config as params({"allow_same_namespace": true})
}

test_gatekeeper_inventory if {
	gk := {"namespace": {"blog": {"networking.k8s.io/v1": {"Ingress": {"blog": ing("blog", ["blog.example.com"])}}}}}
	req := {"request": request("CREATE", "docs", ing("docs", ["blog.example.com"]))}
	d := ingress.deny with input as req with data.inventory as gk
	d == {`[ingress] Ingress "docs": host "blog.example.com" is already served by ["blog/blog"]`}
}

test_catch_all_rule_warns if {
	obj := {"metadata": {"name": "catch-all"}, "spec": {"rules": [{"http": {"paths": []}}]}}
	req := request("CREATE", "docs", obj)
	count(ingress.deny) == 0 with input as req with data.kubernetes.ingresses as inventory
	w := ingress.warn with input as req with data.kubernetes.ingresses as inventory
	w == {`[ingress] Ingress "catch-all" has a rule without a host: it matches every host`}
}

# ---- exemptions and enforcement ----

test_exempt_namespaces if {
	req := request("CREATE", "kube-system", ing("x", ["shop.example.com"]))
	count(ingress.deny) == 0 with input as req with data.kubernetes.ingresses as inventory
	req2 := request("CREATE", "docs", ing("x", ["shop.example.com"]))
	count(ingress.deny) == 0 with input as req2 with data.kubernetes.ingresses as inventory
		with data.config as params({"exempt_namespaces": ["docs"]})
	count(ingress.deny) == 0 with input as req2 with data.kubernetes.ingresses as inventory
		with data.config as {"kubernetes": {"exempt_namespaces": ["docs"]}}
}

test_warn_enforcement if {
	req := request("CREATE", "docs", ing("x", ["shop.example.com"]))
	count(ingress.deny) == 0 with input as req with data.kubernetes.ingresses as inventory
		with data.config as params({"enforcement": "warn"})
	w := ingress.warn with input as req with data.kubernetes.ingresses as inventory
		with data.config as params({"enforcement": "warn"})
	w == {`[ingress] Ingress "x": host "shop.example.com" is already served by ["shop/web"]`}
}
