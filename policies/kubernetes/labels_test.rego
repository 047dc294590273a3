package kubernetes.labels_test

import data.kubernetes.labels

# ---- fixtures ----

team := {"owner": "storefront", "tenant": "acme"}

object_request(kind, namespace, obj) := {
	"uid": "0001",
	"kind": {"kind": kind},
	"namespace": namespace,
	"operation": "CREATE",
	"object": obj,
}

deployment(meta_labels, template_labels) := object_request("Deployment", "shop", {
	"metadata": {"name": "web", "labels": meta_labels},
	"spec": {"template": {"metadata": {"labels": template_labels}, "spec": {"containers": []}}},
})

params(p) := {"kubernetes": {"labels": p}}

# ---- allowed ----

test_labelled_deployment_allowed if {
	count(labels.deny) == 0 with input as deployment(team, object.union(team, {"app": "web"}))
	count(labels.warn) == 0 with input as deployment(team, team)
}

test_other_kinds_ignored if {
	count(labels.violation) == 0 with input as object_request("ConfigMap", "shop", {"metadata": {"name": "cfg"}})
}

# ---- denied ----

test_missing_labels_denied if {
	d := labels.deny with input as object_request("Service", "shop", {"metadata": {"name": "web", "labels": {"owner": "storefront"}}})
	d == {`[labels] Service "web" must have the label "tenant"`}
}

test_empty_label_value_denied if {
	v := labels.violation with input as object_request("Pod", "shop", {"metadata": {"name": "web", "labels": {"owner": "", "tenant": "acme"}}})
	v == {`Pod "web" must have the label "owner"`}
}

test_pod_with_generate_name if {
	v := labels.violation with input as object_request("Pod", "shop", {"metadata": {"generateName": "web-"}})
	v == {`Pod "web-" must have the label "owner"`, `Pod "web-" must have the label "tenant"`}
}

test_pod_template_checked if {
	v := labels.violation with input as deployment(team, {"app": "web"})
	v == {
		`the pod template of Deployment "web" must have the label "owner"`,
		`the pod template of Deployment "web" must have the label "tenant"`,
	}
}

test_pod_template_check_optional if {
	count(labels.violation) == 0 with input as deployment(team, {}) with data.config as params({"check_templates": false})
}

test_cronjob_template_checked if {
	req := object_request("CronJob", "shop", {
		"metadata": {"name": "report", "labels": team},
		"spec": {"jobTemplate": {"spec": {"template": {"metadata": {"labels": {"owner": "storefront"}}}}}},
	})
	v := labels.violation with input as {"request": req}
	v == {`the pod template of CronJob "report" must have the label "tenant"`}
}

test_namespace_checked if {
	req := object_request("Namespace", "", {"metadata": {"name": "payments"}})
	count(labels.deny) == 2 with input as req
}

# ---- parameters ----

test_required_labels_from_data if {
	req := object_request("Service", "shop", {"metadata": {"name": "web", "labels": team}})
	v := labels.violation with input as req with data.config as params({"required": ["owner", "cost-center"]})
	v == {`Service "web" must have the label "cost-center"`}
}

test_label_patterns if {
	req := object_request("Service", "shop", {"metadata": {"name": "web", "labels": {"owner": "Storefront Team", "tenant": "acme"}}})
	cfg := params({"patterns": {"owner": "^[a-z0-9-]+$", "tenant": "^[a-z]+$"}})
	v := labels.violation with input as req with data.config as cfg
	v == {`Service "web": label owner="Storefront Team" does not match "^[a-z0-9-]+$"`}
}

test_kinds_from_data if {
	req := object_request("ConfigMap", "shop", {"metadata": {"name": "cfg"}})
	count(labels.violation) == 2 with input as req with data.config as params({"kinds": ["ConfigMap"]})
}

# ---- exemptions and enforcement ----

test_exempt_namespaces if {
	count(labels.deny) == 0 with input as object_request("Pod", "kube-system", {"metadata": {"name": "dns"}})
	count(labels.deny) == 0 with input as object_request("Namespace", "", {"metadata": {"name": "kube-system"}})
	count(labels.deny) == 0 with input as object_request("Pod", "sandbox", {"metadata": {"name": "x"}})
		with data.config as params({"exempt_namespaces": ["sandbox"]})
	count(labels.deny) == 0 with input as object_request("Pod", "sandbox", {"metadata": {"name": "x"}})
		with data.config as {"kubernetes": {"exempt_namespaces": ["sandbox"]}}
}

test_warn_enforcement if {
	req := object_request("Pod", "shop", {"metadata": {"name": "x"}})
	count(labels.deny) == 0 with input as req with data.config as params({"enforcement": "warn"})
	w := labels.warn with input as req with data.config as params({"enforcement": "warn"})
	w == {`[labels] Pod "x" must have the label "owner"`, `[labels] Pod "x" must have the label "tenant"`}
}
