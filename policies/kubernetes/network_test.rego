package kubernetes.network_test

import data.kubernetes.network

# ---- fixtures ----

deny_ingress := {"metadata": {"name": "default-deny"}, "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}

deny_all := {"metadata": {"name": "default-deny-all"}, "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}}

allow_web := {"metadata": {"name": "allow-web"}, "spec": {
	"podSelector": {"matchLabels": {"app": "web"}},
	"policyTypes": ["Ingress"],
	"ingress": [{"from": [{"podSelector": {}}]}],
}}

# kube-mgmt shape: data.kubernetes.networkpolicies[namespace][name]
shop_protected := {"shop": {"default-deny": deny_ingress, "allow-web": allow_web}}

pod_request(namespace) := {
	"uid": "0001",
	"kind": {"kind": "Pod"},
	"namespace": namespace,
	"operation": "CREATE",
	"object": {"metadata": {"name": "web"}, "spec": {"containers": []}},
}

np_request(operation, old, new) := {
	"kind": {"group": "networking.k8s.io", "version": "v1", "kind": "NetworkPolicy"},
	"namespace": "shop",
	"operation": operation,
	"oldObject": old,
	"object": new,
}

params(p) := {"kubernetes": {"network": p}}

# ---- workloads ----

test_pod_in_protected_namespace_allowed if {
	count(network.deny) == 0 with input as pod_request("shop") with data.kubernetes.networkpolicies as shop_protected
	count(network.warn) == 0 with input as pod_request("shop") with data.kubernetes.networkpolicies as shop_protected
}

test_pod_in_unprotected_namespace_denied if {
	d := network.deny with input as pod_request("blog") with data.kubernetes.networkpolicies as shop_protected
	d == {`[network] namespace "blog" has no default-deny NetworkPolicy for Ingress traffic; create one before deploying workloads`}
}

test_selective_policy_is_not_default_deny if {
	inventory := {"shop": {"allow-web": allow_web}}
	count(network.deny) == 1 with input as pod_request("shop") with data.kubernetes.networkpolicies as inventory
}

test_policy_with_rules_is_not_default_deny if {
	allow_all := {"metadata": {"name": "allow-all"}, "spec": {"podSelector": {}, "policyTypes": ["Ingress"], "ingress": [{}]}}
	count(network.deny) == 1 with input as pod_request("shop") with data.kubernetes.networkpolicies as {"shop": {"allow-all": allow_all}}
}

test_default_policy_types if {
	# no policyTypes: Ingress only, or Ingress and Egress when egress rules exist
	implicit := {"metadata": {"name": "implicit"}, "spec": {"podSelector": {"matchLabels": {}}}}
	count(network.deny) == 0 with input as pod_request("shop") with data.kubernetes.networkpolicies as {"shop": {"implicit": implicit}}
	with_egress := {"metadata": {"name": "egress"}, "spec": {"podSelector": {}, "egress": [{"to": [{"podSelector": {}}]}]}}
	cfg := params({"required_policy_types": ["Ingress", "Egress"]})
	d := network.deny with input as pod_request("shop") with data.kubernetes.networkpolicies as {"shop": {"egress": with_egress}}
		with data.config as cfg
	d == {`[network] namespace "shop" has no default-deny NetworkPolicy for Egress traffic; create one before deploying workloads`}
}

test_egress_required_from_data if {
	cfg := params({"required_policy_types": ["Ingress", "Egress"]})
	count(network.deny) == 1 with input as pod_request("shop") with data.kubernetes.networkpolicies as shop_protected with data.config as cfg
	count(network.deny) == 0 with input as pod_request("shop") with data.kubernetes.networkpolicies as {"shop": {"default-deny-all": deny_all}}
		with data.config as cfg
}

test_gatekeeper_inventory if {
	inventory := {"namespace": {"shop": {"networking.k8s.io/v1": {"NetworkPolicy": {"default-deny": deny_ingress}}}}}
	count(network.deny) == 0 with input as pod_request("shop") with data.inventory as inventory
	count(network.deny) == 1 with input as pod_request("blog") with data.inventory as inventory
}

test_workload_controllers_checked if {
	req := {"request": {"kind": {"kind": "Deployment"}, "namespace": "blog", "operation": "UPDATE", "object": {"metadata": {"name": "web"}}}}
	count(network.deny) == 1 with input as req with data.kubernetes.networkpolicies as shop_protected
}

test_other_kinds_and_operations_ignored if {
	cm := {"kind": {"kind": "ConfigMap"}, "namespace": "blog", "operation": "CREATE", "object": {}}
	count(network.deny) == 0 with input as cm
	del := {"kind": {"kind": "Pod"}, "namespace": "blog", "operation": "DELETE", "oldObject": {}}
	count(network.deny) == 0 with input as del
}

# ---- deleting and updating NetworkPolicies ----

test_deleting_last_default_deny_denied if {
	d := network.deny with input as np_request("DELETE", deny_ingress, null) with data.kubernetes.networkpolicies as shop_protected
	d == {`[network] NetworkPolicy "default-deny" is the last default-deny policy for Ingress traffic in namespace "shop" and must not be deleted`}
}

test_deleting_redundant_default_deny_allowed if {
	inventory := {"shop": {"default-deny": deny_ingress, "default-deny-all": deny_all}}
	count(network.deny) == 0 with input as np_request("DELETE", deny_ingress, null) with data.kubernetes.networkpolicies as inventory
}

test_deleting_other_policy_allowed if {
	count(network.deny) == 0 with input as np_request("DELETE", allow_web, null) with data.kubernetes.networkpolicies as shop_protected
}

test_updating_last_default_deny_away_denied if {
	weakened := object.union(deny_ingress, {"spec": {"ingress": [{}]}})
	d := network.deny with input as np_request("UPDATE", deny_ingress, weakened) with data.kubernetes.networkpolicies as shop_protected
	d == {`[network] NetworkPolicy "default-deny" is the last default-deny policy for Ingress traffic in namespace "shop" and must stay default-deny`}
}

test_updating_default_deny_keeping_it_allowed if {
	relabelled := object.union(deny_ingress, {"metadata": {"labels": {"owner": "sec"}}})
	count(network.deny) == 0 with input as np_request("UPDATE", deny_ingress, relabelled) with data.kubernetes.networkpolicies as shop_protected
}

# ---- namespaces ----

test_namespace_creation_warns if {
	req := {"kind": {"kind": "Namespace"}, "operation": "CREATE", "object": {"metadata": {"name": "payments"}}}
	count(network.deny) == 0 with input as req
	w := network.warn with input as req
	w == {`[network] namespace "payments": create a default-deny NetworkPolicy (["Ingress"]); workloads are rejected until one exists`}
}

# ---- exemptions and enforcement ----

test_exempt_namespaces if {
	count(network.deny) == 0 with input as pod_request("kube-system")
	count(network.deny) == 0 with input as pod_request("blog") with data.config as params({"exempt_namespaces": ["blog"]})
	count(network.deny) == 0 with input as pod_request("blog") with data.config as {"kubernetes": {"exempt_namespaces": ["blog"]}}
	ns := {"kind": {"kind": "Namespace"}, "operation": "CREATE", "object": {"metadata": {"name": "kube-system"}}}
	count(network.warn) == 0 with input as ns
}

test_warn_enforcement if {
	count(network.deny) == 0 with input as pod_request("blog") with data.config as params({"enforcement": "warn"})
	count(network.warn) == 1 with input as pod_request("blog") with data.config as params({"enforcement": "warn"})
}
