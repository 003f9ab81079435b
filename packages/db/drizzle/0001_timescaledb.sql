-- TimescaleDB is used where present and never required (DESIGN.md). On a server without the
-- extension this migration does nothing and `telemetry` stays a regular table with the same indexes.
-- Every statement runs through EXECUTE so plain PostgreSQL never parses TimescaleDB syntax.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
    EXECUTE 'CREATE EXTENSION IF NOT EXISTS timescaledb';
    EXECUTE $q$SELECT create_hypertable('telemetry', by_range('time', INTERVAL '1 day'), migrate_data => true, if_not_exists => true)$q$;
    EXECUTE $q$ALTER TABLE telemetry SET (
      timescaledb.compress,
      timescaledb.compress_segmentby = 'vehicle_id',
      timescaledb.compress_orderby = 'time DESC'
    )$q$;
    EXECUTE $q$SELECT add_compression_policy('telemetry', INTERVAL '7 days', if_not_exists => true)$q$;
    EXECUTE $q$SELECT add_retention_policy('telemetry', INTERVAL '400 days', if_not_exists => true)$q$;
  END IF;
END
$$;
