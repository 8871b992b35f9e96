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
