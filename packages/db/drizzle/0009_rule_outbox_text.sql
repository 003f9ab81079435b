-- The outbox payload is JSON text built by the writer and parsed by the rules engine: PostgreSQL
-- only stores it, uncompressed (EXTERNAL: compressing a row that lives seconds is wasted work).
ALTER TABLE "rule_outbox" ALTER COLUMN "points" SET DATA TYPE text USING "points"::text;--> statement-breakpoint
ALTER TABLE "rule_outbox" ALTER COLUMN "points" SET STORAGE EXTERNAL;
