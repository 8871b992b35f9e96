{{- define "pro.name" -}}parallel-run-operator{{- end -}}

{{- define "pro.fullname" -}}
{{- if contains "parallel-run-operator" .Release.Name -}}{{ .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else -}}{{ printf "%s-parallel-run-operator" .Release.Name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{- define "pro.labels" -}}
app.kubernetes.io/name: {{ include "pro.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "pro.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pro.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "pro.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}{{ include "pro.fullname" . }}{{- else -}}{{ required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}{{- end -}}
{{- end -}}

{{/*
What the operator does, nothing more: granted cluster-wide (ClusterRole) when it watches every namespace, or
per watched namespace (Role) when watchNamespaces is set.
*/}}
{{- define "pro.rules" -}}
# Watch ParallelRuns and write their status. Never spec: GitOps tools own it. patch/update only for the
# finalizer, so that a deleted run first hands the Service its clients call over to a real backend.
- apiGroups: [parallelrun.io]
  resources: [parallelruns]
  verbs: [get, list, watch, patch, update]
- apiGroups: [parallelrun.io]
  resources: [parallelruns/status]
  verbs: [get, patch, update]
# The proxy each ParallelRun gets (server-side apply = patch).
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, list, watch, create, patch, update, delete]
- apiGroups: [""]
  resources: [services, serviceaccounts]
  verbs: [get, list, watch, create, patch, update, delete]
- apiGroups: [policy]
  resources: [poddisruptionbudgets]
  verbs: [get, list, watch, create, patch, update, delete]
# The proxy's Role lets it read only its own ParallelRun; granting that requires holding it (see above).
- apiGroups: [rbac.authorization.k8s.io]
  resources: [roles, rolebindings]
  verbs: [get, list, watch, create, patch, update, delete]
# An Event for every step, cutover, rollback and policy refusal.
- apiGroups: ["", events.k8s.io]
  resources: [events]
  verbs: [create, patch]
{{- end -}}

{{/*
The --analysis-providers file: analysisProviders with each Secret reference replaced by the path where the
deployment mounts that key (pro.providerDir).
*/}}
{{- define "pro.analysisProviders" -}}
{{- $out := list -}}
{{- range $i, $p := .Values.analysisProviders -}}
{{- $dir := include "pro.providerDir" $p -}}
{{- $entry := dict "name" (required "analysisProviders[].name is required" $p.name) "url" (required (printf "analysisProviders %s: url is required" $p.name) $p.url) -}}
{{- if and $p.bearerTokenSecret $p.basicAuth -}}{{- fail (printf "analysisProviders %s: bearerTokenSecret and basicAuth are mutually exclusive" $p.name) -}}{{- end -}}
{{- with $p.bearerTokenSecret -}}{{- $_ := set $entry "bearerTokenFile" (printf "%s/token" $dir) -}}{{- end -}}
{{- with $p.basicAuth -}}{{- $_ := set $entry "basicAuth" (dict "username" (required (printf "analysisProviders %s: basicAuth.username is required" $p.name) .username) "passwordFile" (printf "%s/password" $dir)) -}}{{- end -}}
{{- with $p.caSecret -}}{{- $_ := set $entry "caFile" (printf "%s/ca.crt" $dir) -}}{{- end -}}
{{- with $p.headers -}}{{- $_ := set $entry "headers" . -}}{{- end -}}
{{- with $p.timeout -}}{{- $_ := set $entry "timeout" . -}}{{- end -}}
{{- $out = append $out $entry -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{- define "pro.providerDir" -}}/etc/parallel-run/providers/{{ .name }}{{- end -}}
