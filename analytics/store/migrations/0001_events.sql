-- Devices, telemetry events and malformed input. The high-volume tables
-- (metrics, logs, flows, wire_events) are range-partitioned by observed time,
-- one partition per UTC day, created ahead by ensure_partitions(); a DEFAULT
-- partition takes what falls outside (device clocks are wrong), and
-- ensure_partitions() moves such rows into a day's partition when it creates it.
-- Every event table's key holds the event id, so writing a batch again inserts
-- nothing. Partitioned tables key on (id, observed): observed is part of the
-- event the id stands for, so the same id always lands in the same partition.

CREATE TABLE devices (
  namespace   text NOT NULL,
  name        text NOT NULL,
  address     text NOT NULL DEFAULT '',
  -- Collector receive time of the first and last event stored for the device.
  first_seen  timestamptz NOT NULL,
  last_seen   timestamptz NOT NULL,
  -- protocol -> {reachable, capability, latencyMs, reason, observedMs}: the latest Status of each.
  status      jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (namespace, name)
);

-- Keeps, per protocol, the status with the later observedMs.
CREATE FUNCTION amoskys_merge_status(old jsonb, new jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_object_agg(k, v), '{}'::jsonb) FROM (
    SELECT k,
      CASE
        WHEN n.v IS NULL THEN o.v
        WHEN o.v IS NULL THEN n.v
        WHEN (n.v->>'observedMs')::float8 >= (o.v->>'observedMs')::float8 THEN n.v
        ELSE o.v
      END AS v
    FROM jsonb_each(coalesce(old, '{}'::jsonb)) o(k, v)
    FULL JOIN jsonb_each(coalesce(new, '{}'::jsonb)) n(k, v) USING (k)
  ) merged
$$;

-- Columns every event table starts with. producer and batch_seq name the
-- signed batch the event came in (provenance for evidence).
--   id, observed, collected, device_namespace, device_name, address, source, producer, batch_seq

CREATE TABLE metrics (
  id text NOT NULL, observed timestamptz NOT NULL, collected timestamptz NOT NULL,
  device_namespace text NOT NULL, device_name text NOT NULL, address text NOT NULL,
  source text NOT NULL, producer text NOT NULL, batch_seq bigint NOT NULL,
  name text NOT NULL,
  value double precision NOT NULL,
  unit text NOT NULL,
  kind text NOT NULL,
  labels jsonb NOT NULL,
  PRIMARY KEY (id, observed)
) PARTITION BY RANGE (observed);
CREATE INDEX ON metrics (device_namespace, device_name, name, observed);

CREATE TABLE logs (
  id text NOT NULL, observed timestamptz NOT NULL, collected timestamptz NOT NULL,
  device_namespace text NOT NULL, device_name text NOT NULL, address text NOT NULL,
  source text NOT NULL, producer text NOT NULL, batch_seq bigint NOT NULL,
  format text NOT NULL,
  facility bigint NOT NULL,
  severity bigint NOT NULL,
  hostname text NOT NULL,
  app_name text NOT NULL,
  proc_id text NOT NULL,
  msg_id text NOT NULL,
  structured_data jsonb NOT NULL,
  message text NOT NULL,
  PRIMARY KEY (id, observed)
) PARTITION BY RANGE (observed);
CREATE INDEX ON logs (device_namespace, device_name, observed);

CREATE TABLE flows (
  id text NOT NULL, observed timestamptz NOT NULL, collected timestamptz NOT NULL,
  device_namespace text NOT NULL, device_name text NOT NULL, address text NOT NULL,
  source text NOT NULL, producer text NOT NULL, batch_seq bigint NOT NULL,
  -- text, not inet: hostile exporters send anything, and a failed cast would block the batch
  src_address text NOT NULL,
  dst_address text NOT NULL,
  src_port bigint NOT NULL,
  dst_port bigint NOT NULL,
  protocol bigint NOT NULL,
  bytes bigint NOT NULL,
  packets bigint NOT NULL,
  flow_start timestamptz,
  flow_end timestamptz,
  tcp_flags bigint NOT NULL,
  exporter text NOT NULL,
  observation_domain bigint NOT NULL,
  export_version bigint NOT NULL,
  PRIMARY KEY (id, observed)
) PARTITION BY RANGE (observed);
CREATE INDEX ON flows (device_namespace, device_name, observed);
CREATE INDEX ON flows (src_address, observed);

CREATE TABLE wire_events (
  id text NOT NULL, observed timestamptz NOT NULL, collected timestamptz NOT NULL,
  device_namespace text NOT NULL, device_name text NOT NULL, address text NOT NULL,
  source text NOT NULL, producer text NOT NULL, batch_seq bigint NOT NULL,
  protocol text NOT NULL,
  action text NOT NULL,
  src_address text NOT NULL,
  src_port bigint NOT NULL,
  dst_address text NOT NULL,
  dst_port bigint NOT NULL,
  fields jsonb NOT NULL,
  PRIMARY KEY (id, observed)
) PARTITION BY RANGE (observed);
CREATE INDEX ON wire_events (device_namespace, device_name, observed);

CREATE TABLE metrics_default PARTITION OF metrics DEFAULT;
CREATE TABLE logs_default PARTITION OF logs DEFAULT;
CREATE TABLE flows_default PARTITION OF flows DEFAULT;
CREATE TABLE wire_events_default PARTITION OF wire_events DEFAULT;

CREATE TABLE traps (
  id text PRIMARY KEY, observed timestamptz NOT NULL, collected timestamptz NOT NULL,
  device_namespace text NOT NULL, device_name text NOT NULL, address text NOT NULL,
  source text NOT NULL, producer text NOT NULL, batch_seq bigint NOT NULL,
  version text NOT NULL,
  inform boolean NOT NULL,
  trap_oid text NOT NULL,
  enterprise text NOT NULL,
  agent_address text NOT NULL,
  generic_trap bigint NOT NULL,
  specific_trap bigint NOT NULL,
  uptime bigint NOT NULL,
  security_name text NOT NULL,
  -- [{oid, type, value}]
  varbinds jsonb NOT NULL
);
CREATE INDEX ON traps (device_namespace, device_name, observed);

CREATE TABLE clinical_observations (
  id text PRIMARY KEY, observed timestamptz NOT NULL, collected timestamptz NOT NULL,
  device_namespace text NOT NULL, device_name text NOT NULL, address text NOT NULL,
  source text NOT NULL, producer text NOT NULL, batch_seq bigint NOT NULL,
  code_system text NOT NULL,
  code text NOT NULL,
  display text NOT NULL,
  value text NOT NULL,
  -- NULL unless the value is a number
  numeric_value double precision,
  unit text NOT NULL,
  reference_range text NOT NULL,
  abnormal_flag text NOT NULL,
  result_status text NOT NULL,
  source_id text NOT NULL
);
CREATE INDEX ON clinical_observations (device_namespace, device_name, code, observed);

CREATE TABLE security_observations (
  id text PRIMARY KEY, observed timestamptz NOT NULL, collected timestamptz NOT NULL,
  device_namespace text NOT NULL, device_name text NOT NULL, address text NOT NULL,
  source text NOT NULL, producer text NOT NULL, batch_seq bigint NOT NULL,
  kind text NOT NULL,
  detail text NOT NULL,
  evidence jsonb NOT NULL
);
CREATE INDEX ON security_observations (device_namespace, device_name, observed);

CREATE TABLE status (
  id text PRIMARY KEY, observed timestamptz NOT NULL, collected timestamptz NOT NULL,
  device_namespace text NOT NULL, device_name text NOT NULL, address text NOT NULL,
  source text NOT NULL, producer text NOT NULL, batch_seq bigint NOT NULL,
  protocol text NOT NULL,
  reachable boolean NOT NULL,
  latency_ms double precision NOT NULL,
  capability text NOT NULL,
  reason text NOT NULL
);
CREATE INDEX ON status (device_namespace, device_name, observed);

CREATE TABLE malformed (
  id text PRIMARY KEY, observed timestamptz NOT NULL, collected timestamptz NOT NULL,
  device_namespace text NOT NULL, device_name text NOT NULL, address text NOT NULL,
  source text NOT NULL, producer text NOT NULL, batch_seq bigint NOT NULL,
  protocol text NOT NULL,
  reason text NOT NULL,
  sample bytea NOT NULL,
  length bigint NOT NULL
);
CREATE INDEX ON malformed (device_namespace, device_name, observed);
