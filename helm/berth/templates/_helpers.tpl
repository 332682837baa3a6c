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

{{/* The container's Berth user; the image (scripts/build-image) runs as the same uid. */}}
{{- define "berth.uid" -}}10001{{- end -}}

{{/*
Refuses values that would render a Deployment which cannot work. Several replicas share their state
only through one external PostgreSQL (an embedded one lives inside one pod), and a host's id must
name one engine for all of them (a unix socket is a different engine on each node).
*/}}
{{- define "berth.validate" -}}
{{- $replicas := int .Values.replicaCount -}}
{{- if and (gt $replicas 1) (or .Values.postgresql.embedded (not .Values.postgresql.url)) -}}
{{- fail "replicaCount > 1 needs an external PostgreSQL in postgresql.url (and postgresql.embedded false): embedded PostgreSQL lives inside one pod, so each replica would have its own state" -}}
{{- end -}}
{{- if and .Values.postgresql.embedded .Values.postgresql.url -}}
{{- fail "set postgresql.url or postgresql.embedded, not both" -}}
{{- end -}}
{{- if and (not .Values.postgresql.embedded) (not .Values.postgresql.url) -}}
{{- fail "postgresql.url is required: Berth keeps its state in PostgreSQL (or set postgresql.embedded for a throw-away single replica)" -}}
{{- end -}}
{{- if not .Values.hosts -}}
{{- fail "hosts must list at least one Docker engine" -}}
{{- end -}}
{{- range .Values.hosts -}}
{{- if and (gt $replicas 1) (hasPrefix "unix://" (toString .endpoint)) -}}
{{- fail (printf "host %s: replicaCount > 1 needs tcp:// endpoints; %s is a different engine on each node" (toString .id) (toString .endpoint)) -}}
{{- end -}}
{{- end -}}
{{- if and (gt $replicas 1) .Values.podDisruptionBudget.minAvailable .Values.podDisruptionBudget.maxUnavailable -}}
{{- fail "podDisruptionBudget: set minAvailable or maxUnavailable, not both" -}}
{{- end -}}
{{- end -}}
