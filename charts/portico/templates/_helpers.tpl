{{/*
Labels on every object. Names are fixed (portico-operator, portico-dataplane, ...) because the
operator binds the portico-dataplane ClusterRole by name: install one release per cluster.
*/}}
{{- define "portico.labels" -}}
app.kubernetes.io/part-of: portico
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{/* The operator pods; the same selector as manifests/, and never to be changed (immutable). */}}
{{- define "portico.selectorLabels" -}}
app.kubernetes.io/name: portico-operator
{{- end }}

