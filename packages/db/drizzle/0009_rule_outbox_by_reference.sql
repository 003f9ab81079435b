-- The rules outbox names each batch by the transaction that stored it instead of carrying its
-- points: telemetry rows record that transaction's id. Added without a default first, then the
-- default set, so neither statement rewrites the table (a volatile default in ADD COLUMN would).
ALTER TABLE "telemetry" ADD COLUMN "ingest_xid" bigint;--> statement-breakpoint
ALTER TABLE "telemetry" ALTER COLUMN "ingest_xid" SET DEFAULT txid_current();--> statement-breakpoint
-- Rows written before this migration keep their points (as text) and are processed as before.
ALTER TABLE "rule_outbox" ALTER COLUMN "points" SET DATA TYPE text USING "points"::text;--> statement-breakpoint
ALTER TABLE "rule_outbox" ALTER COLUMN "points" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "rule_outbox" ADD COLUMN "xid" bigint;--> statement-breakpoint
ALTER TABLE "rule_outbox" ADD COLUMN "spans" jsonb;
