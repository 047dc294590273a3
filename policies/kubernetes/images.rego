# Image provenance (Rego v1).
#
# Every container image (containers, initContainers, ephemeralContainers of
# Pods and of the pod templates of workload controllers) must come from an
# allowed registry, must not use the mutable tag `latest` or no tag at all, and
# (optionally) must be pinned by a sha256 digest.
#
# Image references are normalised as the container runtime does: an image
# without a registry host comes from docker.io, and a one-part name from
# docker.io/library ("nginx:1.27" is "docker.io/library/nginx:1.27"). An
# allowed registry entry matches at a path boundary: "ghcr.io/example" allows
# "ghcr.io/example/app:1.0" but not "ghcr.io/example-evil/app:1.0".
#
# Parameters: data.config.kubernetes.images (all optional)
#   exempt_namespaces   (default: data.config.kubernetes.exempt_namespaces,
#                       else ["kube-system"])
#   enforcement         "deny" (default), "warn" or "dryrun"
#   allowed_registries  registry or repository prefixes (default: [] - no
#                       registry is trusted, every image is rejected: fail closed)
#   require_digest      images must be pinned by @sha256:... (default: false)
#   allow_latest        accept the tag latest and untagged images (default: false)
package kubernetes.images

# ---- parameters ----

default config := {}

# (a helper, not `not regex.match(..., digest(image))`: OPA evaluates the
# nested call before the negation, so an image without a digest would pass)
pinned_by_digest(image) if regex.match(`^sha256:[a-f0-9]{64}$`, digest(image))

config := data.config.kubernetes.images

default global_exempt_namespaces := ["kube-system"]

global_exempt_namespaces := data.config.kubernetes.exempt_namespaces

exempt_namespaces := object.get(config, "exempt_namespaces", global_exempt_namespaces)

enforcement := object.get(config, "enforcement", "deny")

allowed_registries := object.get(config, "allowed_registries", [])

require_digest := object.get(config, "require_digest", false)

allow_latest := object.get(config, "allow_latest", false)

# ---- what is being admitted ----

request := input.request if input.request

request := input if not input.request

template_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"}

pod_spec := request.object.spec if request.kind.kind == "Pod"

pod_spec := request.object.spec.template.spec if request.kind.kind in template_kinds

pod_spec := request.object.spec.jobTemplate.spec.template.spec if request.kind.kind == "CronJob"

containers contains c if {
	some field in ["containers", "initContainers", "ephemeralContainers"]
	some c in pod_spec[field]
}

exempt if request.namespace in exempt_namespaces

# ---- violations ----

violation contains msg if {
	some c in containers
	not allowed_registry(c.image)
	msg := sprintf("container %q: image %q is not from an allowed registry %v", [c.name, c.image, allowed_registries])
}

violation contains msg if {
	not allow_latest == true
	some c in containers
	tag(c.image) == "latest"
	msg := sprintf("container %q: image %q uses the mutable tag latest; pin a version", [c.name, c.image])
}

violation contains msg if {
	not allow_latest == true
	some c in containers
	not tag(c.image)
	not digest(c.image)
	msg := sprintf("container %q: image %q has no tag (means latest); pin a version", [c.name, c.image])
}

violation contains msg if {
	require_digest == true
	some c in containers
	not pinned_by_digest(c.image)
	msg := sprintf("container %q: image %q must be pinned by a sha256 digest (@sha256:...)", [c.name, c.image])
}

# ---- decision ----

deny contains sprintf("[images] %s", [msg]) if {
	not exempt
	enforcement == "deny"
	some msg in violation
}

warn contains sprintf("[images] %s", [msg]) if {
	not exempt
	enforcement == "warn"
	some msg in violation
}

# ---- image references ----

# the image without its digest
name_and_tag(image) := split(image, "@")[0]

digest(image) := d if {
	contains(image, "@")
	d := split(image, "@")[1]
}

# the tag: after the last ":" of the last path part
tag(image) := t if {
	parts := split(name_and_tag(image), "/")
	last := parts[count(parts) - 1]
	contains(last, ":")
	t := split(last, ":")[1]
}

# repository without tag and digest, e.g. registry.example.com/team/app
repository(image) := r if {
	parts := split(name_and_tag(image), "/")
	last := parts[count(parts) - 1]
	names := array.concat(array.slice(parts, 0, count(parts) - 1), [split(last, ":")[0]])
	r := concat("/", names)
}

# the repository with its registry host, as the runtime resolves it
normalized(image) := r if {
	repo := repository(image)
	first := split(repo, "/")[0]
	has_registry_host(first, repo)
	r := repo
}

normalized(image) := concat("/", ["docker.io", repo]) if {
	repo := repository(image)
	contains(repo, "/")
	not has_registry_host(split(repo, "/")[0], repo)
}

normalized(image) := concat("/", ["docker.io/library", repo]) if {
	repo := repository(image)
	not contains(repo, "/")
}

has_registry_host(first, repo) if {
	contains(repo, "/")
	regex.match(`[.:]|^localhost$`, first)
}

allowed_registry(image) if {
	some entry in allowed_registries
	prefix := trim_suffix(entry, "/")
	ref := normalized(image)
	prefix_matches(prefix, ref)
}

prefix_matches(prefix, ref) if ref == prefix

prefix_matches(prefix, ref) if startswith(ref, concat("", [prefix, "/"]))
