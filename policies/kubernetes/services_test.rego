package kubernetes.services_test

import data.kubernetes.services

# ---- fixtures ----

service_request(operation, namespace, spec) := {
	"uid": "0001",
	"kind": {"group": "", "version": "v1", "kind": "Service"},
	"namespace": namespace,
	"operation": operation,
	"object": {"metadata": {"name": "web"}, "spec": spec},
}

allowed := {"kubernetes": {"services": {"allowed_namespaces": {"LoadBalancer": ["ingress-nginx"], "NodePort": ["legacy"]}}}}

params(p) := {"kubernetes": {"services": p}}

# ---- allowed ----

test_cluster_ip_allowed if {
	req := service_request("CREATE", "shop", {"type": "ClusterIP", "ports": [{"port": 80}]})
	count(services.deny) == 0 with input as req
	count(services.warn) == 0 with input as req
	count(services.deny) == 0 with input as service_request("CREATE", "shop", {"ports": [{"port": 80}]})
}

test_load_balancer_in_allowed_namespace if {
	req := service_request("CREATE", "ingress-nginx", {"type": "LoadBalancer"})
	count(services.deny) == 0 with input as req with data.config as allowed
	count(services.deny) == 0 with input as service_request("UPDATE", "legacy", {"type": "NodePort"}) with data.config as allowed
}

test_other_kinds_and_deletes_ignored if {
	del := object.union(service_request("DELETE", "shop", {}), {"object": null, "oldObject": {"spec": {"type": "LoadBalancer"}}})
	count(services.violation) == 0 with input as del
	cm := {"kind": {"kind": "ConfigMap"}, "namespace": "shop", "operation": "CREATE", "object": {"spec": {"type": "LoadBalancer"}}}
	count(services.violation) == 0 with input as cm
}

# ---- denied ----

test_load_balancer_denied_by_default if {
	d := services.deny with input as service_request("CREATE", "shop", {"type": "LoadBalancer"})
	d == {`[services] Service "web": type LoadBalancer is not allowed in namespace "shop" (allowed: [])`}
}

test_node_port_outside_allowed_namespaces_denied if {
	v := services.violation with input as service_request("UPDATE", "shop", {"type": "NodePort"}) with data.config as allowed
	v == {`Service "web": type NodePort is not allowed in namespace "shop" (allowed: ["legacy"])`}
}

test_restricted_types_from_data if {
	req := service_request("CREATE", "shop", {"type": "NodePort"})
	count(services.violation) == 0 with input as req with data.config as params({"restricted_types": ["LoadBalancer"]})
}

test_external_ips_denied if {
	req := service_request("CREATE", "shop", {"type": "ClusterIP", "externalIPs": ["203.0.113.10", "198.51.100.7"]})
	v := services.violation with input as req with data.config as params({"allowed_external_ips": ["198.51.100.7"]})
	v == {`Service "web" must not claim the external IP 203.0.113.10`}
}

# ---- exemptions and enforcement ----

test_exempt_namespaces if {
	count(services.deny) == 0 with input as {"request": service_request("CREATE", "kube-system", {"type": "LoadBalancer"})}
	req := service_request("CREATE", "edge", {"type": "LoadBalancer"})
	count(services.deny) == 0 with input as req with data.config as params({"exempt_namespaces": ["edge"]})
	count(services.deny) == 0 with input as req with data.config as {"kubernetes": {"exempt_namespaces": ["edge"]}}
}

test_warn_enforcement if {
	req := service_request("CREATE", "shop", {"type": "LoadBalancer"})
	count(services.deny) == 0 with input as req with data.config as params({"enforcement": "warn"})
	w := services.warn with input as req with data.config as params({"enforcement": "warn"})
	w == {`[services] Service "web": type LoadBalancer is not allowed in namespace "shop" (allowed: [])`}
}
