{{- define "berth.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "berth.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "berth.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "berth.adminKeySecret" -}}
{{- default (printf "%s-keys" (include "berth.fullname" .)) .Values.existingAdminKeySecret -}}
{{- end -}}

{{- define "berth.secretKeySecret" -}}
{{- default (printf "%s-keys" (include "berth.fullname" .)) .Values.existingSecretKeySecret -}}
{{- end -}}

{{- define "berth.databaseSecret" -}}
{{- default (printf "%s-keys" (include "berth.fullname" .)) .Values.postgresql.existingSecret -}}
{{- end -}}
