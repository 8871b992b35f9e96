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
