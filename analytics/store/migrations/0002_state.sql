-- Findings with their full evidence, detection checkpoints, and the batches
-- the verifier accepted.

CREATE TABLE findings (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rule_namespace   text NOT NULL,
  rule_name        text NOT NULL,
  device_namespace text NOT NULL,
  device_name      text NOT NULL,
  -- the group-by key's value, '' when the rule has none
  key              text NOT NULL,
  severity         text NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
  title            text NOT NULL,
  mitre            text[] NOT NULL DEFAULT '{}',
  count            bigint NOT NULL,
  suppressed       bigint NOT NULL,
  first_seen       timestamptz NOT NULL,
  last_seen        timestamptz NOT NULL,
  state            text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'resolved')),
  -- {eventIds: [...], summary: "..."}
  evidence         jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (rule_namespace, rule_name, device_namespace, device_name, key)
);
CREATE INDEX ON findings (device_namespace, device_name, state);
CREATE INDEX ON findings (last_seen);

-- Opaque checkpoints of stateful rules, one per rule and partition of the device keyspace.
CREATE TABLE rule_state (
  rule_namespace text NOT NULL,
  rule_name      text NOT NULL,
  partition_key  text NOT NULL,
  state          bytea NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (rule_namespace, rule_name, partition_key)
);

-- Every batch accepted, written in the transaction that stored its events:
-- the BatchVerifier's state is rebuilt from it after a restart, and a batch
-- the verifier calls a replay is a harmless redelivery iff its row is here
-- with the same hash.
CREATE TABLE verifier_state (
  producer    text NOT NULL,
  sequence    bigint NOT NULL,
  hash        bytea NOT NULL,
  prev_hash   bytea NOT NULL,
  events      integer NOT NULL,
  accepted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (producer, sequence)
);
CREATE INDEX ON verifier_state (accepted_at);
