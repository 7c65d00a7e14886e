{{/*
The chart's name, truncated to 63 characters (a DNS label).
*/}}
{{- define "quiesce.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The release's full name: "<release>-<chart>", or just the release when it already contains the chart's name.
*/}}
{{- define "quiesce.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "quiesce.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The recommended labels (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/).
*/}}
{{- define "quiesce.labels" -}}
helm.sh/chart: {{ include "quiesce.chart" . }}
{{ include "quiesce.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: worker
app.kubernetes.io/part-of: quiesce
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
The labels a Deployment selects its pods by: immutable, so nothing that changes between releases.
*/}}
{{- define "quiesce.selectorLabels" -}}
app.kubernetes.io/name: {{ include "quiesce.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "quiesce.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "quiesce.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "quiesce.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/*
The Secret holding the API token and the PostgreSQL credentials: an existing one, or the chart's own.
*/}}
{{- define "quiesce.secretName" -}}
{{- default (include "quiesce.fullname" .) .Values.existingSecret }}
{{- end }}

{{/*
Whether the chart creates its own Secret: only when no existing one is named and there is something to keep in it.
*/}}
{{- define "quiesce.createSecret" -}}
{{- if and (not .Values.existingSecret) (or .Values.apiToken .Values.postgresql.enabled) }}true{{ end }}
{{- end }}

{{/*
Whether the service gets an API token (QUIESCE_API_TOKEN): from apiToken, or from an existing Secret's key.
*/}}
{{- define "quiesce.hasApiToken" -}}
{{- if or .Values.apiToken (and .Values.existingSecret .Values.secretKeys.apiToken) }}true{{ end }}
{{- end }}

{{/*
The shutdown budget in whole seconds: the ONE place it is summed. terminationGracePeriodSeconds and
QUIESCE_SHUTDOWN_GRACEPERIOD both come from here, so the pod spec and the service's start-up validation
(ShutdownBudget: grace-period - pre-stop - cancel-grace - child-stop-timeout - margin = drain) always agree.
*/}}
{{- define "quiesce.gracePeriodSeconds" -}}
{{- $s := .Values.shutdown }}
{{- add $s.preStopSeconds $s.drainSeconds $s.cancelGraceSeconds $s.childStopTimeoutSeconds $s.marginSeconds }}
{{- end }}

{{/*
The embedded H2 database is one file in one pod's data directory: more than one pod (replicas or an autoscaler)
needs PostgreSQL. values.schema.json rejects this too; this message is the one that names the fix.
*/}}
{{- define "quiesce.validate" -}}
{{- if not .Values.postgresql.enabled }}
{{- if gt (int .Values.replicaCount) 1 }}
{{- fail (printf "replicaCount: %v needs PostgreSQL: the embedded H2 database lives in one pod's data directory. Set postgresql.enabled=true and postgresql.url (jdbc:postgresql://...), or replicaCount=1." .Values.replicaCount) }}
{{- end }}
{{- if .Values.autoscaling.enabled }}
{{- fail "autoscaling.enabled needs PostgreSQL: the embedded H2 database lives in one pod's data directory. Set postgresql.enabled=true and postgresql.url (jdbc:postgresql://...), or autoscaling.enabled=false." }}
{{- end }}
{{- else }}
{{- if not .Values.postgresql.url }}
{{- fail "postgresql.enabled needs postgresql.url, e.g. jdbc:postgresql://postgres.db.svc:5432/quiesce." }}
{{- end }}
{{- if .Values.persistence.enabled }}
{{- fail "persistence.enabled is for the embedded H2 database; with postgresql.enabled the data directory holds only per-pod scratch. Set persistence.enabled=false." }}
{{- end }}
{{- end }}
{{- if and .Values.existingSecret (or .Values.apiToken .Values.readToken .Values.postgresql.username .Values.postgresql.password) }}
{{- fail "existingSecret replaces apiToken, readToken, postgresql.username and postgresql.password: set either existingSecret (and secretKeys) or those values, not both." }}
{{- end }}
{{- if and .Values.readToken (not .Values.apiToken) }}
{{- fail "readToken needs apiToken: without an API token the console is open to everyone and a read-only login means nothing. Set apiToken too, or readToken=\"\"." }}
{{- end }}
{{- if and .Values.readToken (eq .Values.readToken .Values.apiToken) }}
{{- fail "readToken equals apiToken: the read-only login would have full access. Set a different readToken." }}
{{- end }}
{{- range .Values.extraEnv }}
{{- if hasPrefix "QUIESCE_SHUTDOWN_" .name }}
{{- fail (printf "extraEnv must not set %s: the chart derives every QUIESCE_SHUTDOWN_* variable from shutdown.* so the service's budget matches terminationGracePeriodSeconds. Set shutdown.* instead." .name) }}
{{- end }}
{{- end }}
{{- if and (not .Values.existingSecret) .Values.postgresql.enabled (not .Values.postgresql.username) }}
{{- fail "postgresql.enabled needs credentials: set postgresql.username and postgresql.password, or existingSecret naming a Secret that holds them." }}
{{- end }}
{{- end }}
