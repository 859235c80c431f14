-- Event partitions are append-only and dropped whole by retention: no
-- insert-triggered autovacuum on them (see APPEND_ONLY in partitions.ts,
-- which new day partitions get). Autoanalyze and the anti-wraparound vacuum
-- stay. Applied to the partitions that exist already, defaults included.
DO $$
DECLARE p regclass;
BEGIN
  FOR p IN
    SELECT i.inhrelid::regclass FROM pg_inherits i
    WHERE i.inhparent IN ('metrics'::regclass, 'logs'::regclass, 'flows'::regclass, 'wire_events'::regclass)
  LOOP
    EXECUTE format('ALTER TABLE %s SET (autovacuum_vacuum_insert_threshold = -1)', p);
  END LOOP;
END $$;
