-- The event tables' primary keys lead with observed: (observed, id) instead
-- of (id, observed). Event ids are hashes, so an index that starts with the id
-- takes each insert on a random leaf page, and once it outgrows shared_buffers
-- every insert dirties and evicts a page. Led by the time, inserts land at the
-- right edge as the heap's do. Uniqueness is the same; nothing looks events
-- up by id alone.
ALTER TABLE metrics DROP CONSTRAINT metrics_pkey, ADD PRIMARY KEY (observed, id);
ALTER TABLE logs DROP CONSTRAINT logs_pkey, ADD PRIMARY KEY (observed, id);
ALTER TABLE flows DROP CONSTRAINT flows_pkey, ADD PRIMARY KEY (observed, id);
ALTER TABLE wire_events DROP CONSTRAINT wire_events_pkey, ADD PRIMARY KEY (observed, id);
