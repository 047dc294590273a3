package kubernetes.library_test

import data.kubernetes.library

# ---- fixtures ----

config := {"kubernetes": {"images": {"allowed_registries": ["registry.example.com"]}}}

# kube-mgmt inventory: the shop namespace has a default-deny policy
networkpolicies := {"shop": {"default-deny": {"metadata": {"name": "default-deny"}, "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}}}

team := {"owner": "storefront", "tenant": "acme"}

hardened := {"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "runAsNonRoot": true, "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}}

good_container := {
	"name": "web",
	"image": "registry.example.com/shop/web:1.4.2",
	"securityContext": hardened,
	"resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}},
}

deployment(container) := {
	"uid": "7f0c",
	"kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
	"namespace": "shop",
	"operation": "CREATE",
	"object": {
		"metadata": {"name": "web", "labels": team},
		"spec": {"template": {"metadata": {"labels": team}, "spec": {"containers": [container]}}},
	},
}

bad_container := {"name": "web", "image": "nginx", "securityContext": {"privileged": true}}

with_library(c, l) := object.union(c, {"kubernetes": {"library": l}})

# ---- tests ----

test_compliant_deployment_allowed if {
	count(library.deny) == 0 with input as deployment(good_container)
		with data.config as config with data.kubernetes.networkpolicies as networkpolicies
	count(library.deny) == 0 with input as deployment(good_container)
		with data.config as with_library(config, {"pod_security": "restricted"}) with data.kubernetes.networkpolicies as networkpolicies
}

test_violations_of_every_policy_collected if {
	d := library.deny with input as deployment(bad_container) with data.config as config
		with data.kubernetes.networkpolicies as networkpolicies
	d == {
		`[pod-security/baseline] container "web" must not be privileged`,
		`[images] container "web": image "nginx" is not from an allowed registry ["registry.example.com"]`,
		`[images] container "web": image "nginx" has no tag (means latest); pin a version`,
		`[resources] container "web" must request cpu (resources.requests.cpu)`,
		`[resources] container "web" must request memory (resources.requests.memory)`,
		`[resources] container "web" must limit cpu (resources.limits.cpu)`,
		`[resources] container "web" must limit memory (resources.limits.memory)`,
	}
}

test_restricted_level if {
	c := object.union(good_container, {"securityContext": {"readOnlyRootFilesystem": false}})
	d := library.deny with input as deployment(c) with data.config as with_library(config, {"pod_security": "restricted"})
		with data.kubernetes.networkpolicies as networkpolicies
	d == {`[pod-security/restricted] container "web" must set securityContext.readOnlyRootFilesystem to true`}
}

test_policy_selection if {
	cfg := with_library(config, {"pod_security": "none", "policies": ["images"]})
	d := library.deny with input as deployment(bad_container) with data.config as cfg
	d == {
		`[images] container "web": image "nginx" is not from an allowed registry ["registry.example.com"]`,
		`[images] container "web": image "nginx" has no tag (means latest); pin a version`,
	}
}

test_other_policies_collected if {
	svc := {"kind": {"kind": "Service"}, "namespace": "shop", "operation": "CREATE", "object": {"metadata": {"name": "web", "labels": team}, "spec": {"type": "NodePort"}}}
	library.deny == {`[services] Service "web": type NodePort is not allowed in namespace "shop" (allowed: [])`} with input as svc
	ing := {"kind": {"kind": "Ingress"}, "namespace": "shop", "operation": "CREATE", "object": {"metadata": {"name": "web"}, "spec": {"rules": [{"host": "shop.example.com"}]}}}
	d := library.deny with input as ing with data.kubernetes.ingresses as {"blog": {"blog": {"spec": {"rules": [{"host": "shop.example.com"}]}}}}
	d == {
		`[labels] Ingress "web" must have the label "owner"`,
		`[labels] Ingress "web" must have the label "tenant"`,
		`[ingress] Ingress "web": host "shop.example.com" is already served by ["blog/blog"]`,
	}
	pod := {"kind": {"kind": "Pod"}, "namespace": "blog", "operation": "CREATE", "object": {"metadata": {"name": "p", "labels": team}, "spec": {"containers": [good_container]}}}
	library.deny == {`[network] namespace "blog" has no default-deny NetworkPolicy for Ingress traffic; create one before deploying workloads`} with input as pod
		with data.config as config with data.kubernetes.networkpolicies as networkpolicies
}

test_warnings_collected if {
	every_warn := {"kubernetes": {
		"images": {"allowed_registries": ["registry.example.com"], "enforcement": "warn"},
		"resources": {"enforcement": "warn"},
		"labels": {"enforcement": "warn"},
		"services": {"enforcement": "warn"},
		"ingress": {"enforcement": "warn"},
		"network": {"enforcement": "warn"},
		"pod_security": {"baseline": {"enforcement": "warn"}, "restricted": {"enforcement": "warn"}},
	}}
	pod := {"kind": {"kind": "Pod"}, "namespace": "shop", "operation": "CREATE", "object": {"metadata": {"name": "p"}, "spec": {"containers": [bad_container]}}}
	count(library.deny) == 0 with input as pod with data.config as every_warn
	w := library.warn with input as pod with data.config as every_warn
	count(w) == 10
	`[pod-security/baseline] container "web" must not be privileged` in w
	`[network] namespace "shop" has no default-deny NetworkPolicy for Ingress traffic; create one before deploying workloads` in w
	`[labels] Pod "p" must have the label "owner"` in w
	wr := library.warn with input as pod with data.config as with_library(every_warn, {"pod_security": "restricted"})
	`[pod-security/restricted] container "web" must drop ALL capabilities` in wr
	svc := {"kind": {"kind": "Service"}, "namespace": "shop", "operation": "CREATE", "object": {"metadata": {"name": "web", "labels": team}, "spec": {"type": "NodePort"}}}
	library.warn == {`[services] Service "web": type NodePort is not allowed in namespace "shop" (allowed: [])`} with input as svc with data.config as every_warn
	ing := {"kind": {"kind": "Ingress"}, "namespace": "shop", "operation": "CREATE", "object": {"metadata": {"name": "web", "labels": team}, "spec": {"rules": [{}]}}}
	library.warn == {`[ingress] Ingress "web" has a rule without a host: it matches every host`} with input as ing with data.config as every_warn
}

test_response_for_admission_review if {
	allowed := library.response with input as {"request": deployment(good_container)}
		with data.config as config with data.kubernetes.networkpolicies as networkpolicies
	allowed == {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "response": {"uid": "7f0c", "allowed": true, "warnings": []}}
	denied := library.response with input as {"request": deployment(bad_container)}
		with data.config as with_library(config, {"pod_security": "none", "policies": ["images"]})
	denied.response.allowed == false
	denied.response.status.code == 403
	denied.response.status.message == `[images] container "web": image "nginx" has no tag (means latest); pin a version; [images] container "web": image "nginx" is not from an allowed registry ["registry.example.com"]`
}
