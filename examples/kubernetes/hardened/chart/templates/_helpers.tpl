{{/* Name of the chart's objects: the release name, unless it already holds the chart name. */}}
{{- define "shop-web.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "shop-web.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "shop-web.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{ include "shop-web.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* The image by digest; a release without one fails to render rather than pull a moving tag. */}}
{{- define "shop-web.image" -}}
{{- $digest := required "image.digest is required: deploy images by digest" .Values.image.digest -}}
{{- printf "%s:%s@%s" .Values.image.repository .Values.image.tag $digest -}}
{{- end -}}
