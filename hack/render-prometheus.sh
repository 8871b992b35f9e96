#!/usr/bin/env bash
# Prints e2e/manifests/prometheus.yaml with its image and the proxy selector filled in. The selector and port are
# read from the chart's own PodMonitor (helm template), so the demo's and the tests' Prometheus find the proxy pods
# exactly as a Prometheus Operator given the chart's PodMonitor would.
#   hack/render-prometheus.sh [IMAGE]    (default localhost/parallel-run/prometheus:1, built by build-node-images.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IMAGE="${1:-localhost/parallel-run/prometheus:1}"
HELM="$("$ROOT/hack/build-helm.sh")"
"$HELM" template parallel-run "$ROOT/charts/parallel-run-operator" --set monitoring.podMonitor=true \
    --show-only templates/monitoring.yaml \
  | python3 -c '
import re, sys
image, template_path = sys.argv[1], sys.argv[2]
text = sys.stdin.read()
doc = next(d for d in text.split("\n---") if "kind: PodMonitor" in d)
labels = re.search(r"matchLabels:\n((?:\s+\S+: .*\n)+)", doc).group(1)
port = re.search(r"port: ([\w-]+)", doc.split("podMetricsEndpoints:")[1]).group(1)
keep = ""
for line in labels.strip().splitlines():
    key, value = [p.strip() for p in line.split(":", 1)]
    keep += "          - {source_labels: [__meta_kubernetes_pod_label_%s], action: keep, regex: \"%s\"}\n" % (
        re.sub(r"[^a-zA-Z0-9_]", "_", key), value.strip("\"\x27"))
out = open(template_path).read().replace("PROMETHEUS_IMAGE", image).replace("PROXY_PORT_NAME", port)
print(out.replace("                  # PROXY_SELECTOR\n", keep), end="")
' "$IMAGE" "$ROOT/e2e/manifests/prometheus.yaml"
