#!/usr/bin/env bash
# The release pipeline of examples/github-actions and examples/gitlab-ci, run on this machine
# against the ECR simulation instead of AWS: build, log in, push, scan gate, pin, replication.
# Needs ecrkit and docker-credential-ecrkit on PATH (npm i -g @ecrkit/cli), skopeo, and node.
#
#   examples/local/pipeline.sh            # a scratch directory, port 4510
#   WORK_DIR=/tmp/release PORT=5511 examples/local/pipeline.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
work=${WORK_DIR:-$(mktemp -d)}
port=${PORT:-4510}
tag=${TAG:-v1.0.0}
repo=web-app
registry=127.0.0.1:$port
mkdir -p "$work"
step() { printf '\n== %s\n' "$*"; }

step "registry: the simulation, with the repository and replication rule your infrastructure code creates"
ecrkit sim serve --port "$port" --seed "$here/seed.json" --state "$work/registry.json" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q '^http://' "$work/serve.log" && break; sleep 0.1; done
grep -q '^http://' "$work/serve.log" || { cat "$work/serve.log" >&2; exit 1; }
# Against AWS this line is not needed: the same commands read AWS_REGION and the credentials.
ecr() { ecrkit --endpoint "http://$registry" "$@"; }

step "build: an OCI image, no daemon"
node "$here/build-image.mjs" "$work/image" "$tag"

step "log in: docker-credential-ecrkit fetches and caches the token (no password in a file)"
ecr login --helper -o json --query '{credHelpers: credHelpers}' >"$work/auth.json"
cat "$work/auth.json"

step "push"
REGISTRY_AUTH_FILE="$work/auth.json" skopeo copy --dest-tls-verify=false --digestfile "$work/digest" \
  "oci:$work/image:$tag" "docker://$registry/$repo:$tag"
echo "pushed $repo@$(cat "$work/digest")"

step "scan gate: wait for the scan on push, fail on any critical finding"
ecr scan "$repo" "$tag" --wait --max-critical 0

step "pin: Kubernetes and ECS files to the digest that passed the gate"
cp -R "$here/../deploy" "$work/deploy"
ecr pin "$work/deploy/k8s/deployment.yaml" "$work/deploy/ecs/task-definition.json" --max-critical 0
ecr pin "$work/deploy/k8s/deployment.yaml" "$work/deploy/ecs/task-definition.json" --check
grep -h 'image' "$work/deploy/k8s/deployment.yaml" "$work/deploy/ecs/task-definition.json"

step "replication: every destination has the image, with the same digest"
ecr replication verify "$repo" "$tag" --wait

step "released $repo:$tag ($(cat "$work/digest"))"
