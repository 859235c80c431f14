{{- define "amoskys.image" -}}
{{ required "image.repository is required" .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* The app name: the chart's, or nameOverride. */}}
{{- define "amoskys.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The release's base name, as `helm create` makes it: fullnameOverride; else the
release name when it already contains the app name ("amoskys", "amoskys-edge");
else "<release>-amoskys". Every object's name starts with it, so the release
"amoskys" keeps the names amoskys-operator and amoskys-analytics.
*/}}
{{- define "amoskys.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "amoskys.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* "<fullname>-<suffix>", at most 63 characters (a Service name is a DNS label). Call with (list . "operator"). */}}
{{- define "amoskys.componentName" -}}
{{- $ctx := index . 0 -}}
{{- printf "%s-%s" (include "amoskys.fullname" $ctx) (index . 1) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* On every object of the release. */}}
{{- define "amoskys.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/part-of: amoskys
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* The selector of a component's pods (immutable in a Deployment). Call with (list . "operator"). */}}
{{- define "amoskys.selectorLabels" -}}
{{- $ctx := index . 0 -}}
app.kubernetes.io/name: {{ include "amoskys.name" $ctx }}-{{ index . 1 }}
app.kubernetes.io/instance: {{ $ctx.Release.Name }}
{{- end -}}

{{/* The labels of a component's objects. Call with (list . "operator"). */}}
{{- define "amoskys.componentLabels" -}}
{{ include "amoskys.labels" (index . 0) }}
app.kubernetes.io/name: {{ include "amoskys.name" (index . 0) }}-{{ index . 1 }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{/*
The scheduling and pull settings of a workload's pod spec, from its values
(operator or analytics): imagePullSecrets, priorityClassName, nodeSelector,
affinity, tolerations. Call with the workload's values.
*/}}
{{- define "amoskys.podScheduling" -}}
{{- with .imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/*
A component's pod labels: its labels, plus the workload's podLabels (which
cannot replace them: the selector depends on them). Call with (list . "operator" .Values.operator.podLabels).
*/}}
{{- define "amoskys.podLabels" -}}
{{- $own := fromYaml (include "amoskys.componentLabels" (list (index . 0) (index . 1))) -}}
{{- toYaml (merge $own (deepCopy (index . 2 | default dict))) -}}
{{- end -}}

{{/* The Secrets analytics mounts: one place for the names, their required message and the preflight check. */}}
{{- define "amoskys.natsCredentialsSecret" -}}
{{- required "analytics.credentialsSecret is required: the Secret with analytics' NATS password (key password) and the NATS CA (key ca.crt)" .Values.analytics.credentialsSecret -}}
{{- end -}}
{{- define "amoskys.postgresSecret" -}}
{{- required "analytics.postgres.secret is required: the Secret with the Postgres URL (key url) and its CA (key ca.crt)" .Values.analytics.postgres.secret -}}
{{- end -}}
{{- define "amoskys.apiTlsSecret" -}}
{{- required "analytics.api.tlsSecret is required: the kubernetes.io/tls Secret of the analytics API (keys tls.crt, tls.key)" .Values.analytics.api.tlsSecret -}}
{{- end -}}

{{/*
The Secrets the release needs, as a list of { name, keys, what }: the pods
mount these keys, so a missing one keeps them from starting. anyOf: at least
one of these key sets (the collectors log in with a password or a certificate).
*/}}
{{- define "amoskys.requiredSecrets" -}}
{{- $out := list -}}
{{- if .Values.analytics.enabled -}}
{{- $out = append $out (dict "name" (include "amoskys.natsCredentialsSecret" .) "keys" (list "ca.crt" "password") "what" "analytics' NATS credentials (analytics.credentialsSecret)") -}}
{{- $out = append $out (dict "name" (include "amoskys.postgresSecret" .) "keys" (list "url" "ca.crt") "what" "the Postgres URL and CA (analytics.postgres.secret)") -}}
{{- $out = append $out (dict "name" (include "amoskys.apiTlsSecret" .) "keys" (list "tls.crt" "tls.key") "what" "the analytics API's TLS certificate (analytics.api.tlsSecret)") -}}
{{- end -}}
{{- with .Values.nats.secret -}}
{{- $out = append $out (dict "name" . "keys" (list "ca.crt") "anyOf" (list (list "username" "password") (list "tls.crt" "tls.key")) "what" "the collectors' NATS credentials (nats.secret)") -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}
