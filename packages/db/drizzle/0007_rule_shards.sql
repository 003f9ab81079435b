CREATE TABLE "cluster_nodes" (
	"node_id" text PRIMARY KEY NOT NULL,
	"seen_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rule_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shard" smallint NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"points" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shard_leases" (
	"shard" smallint PRIMARY KEY NOT NULL,
	"owner" text,
	"epoch" bigint DEFAULT 0 NOT NULL,
	"expires_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "vehicle_rule_state" (
	"vehicle_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"shard" smallint NOT NULL,
	"state" jsonb NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "rule_outbox_shard_id_idx" ON "rule_outbox" USING btree ("shard","id");--> statement-breakpoint
CREATE INDEX "vehicle_rule_state_shard_idx" ON "vehicle_rule_state" USING btree ("shard");--> statement-breakpoint
-- Every shard has its lease row from the start; owners take them by updating it.
INSERT INTO "shard_leases" ("shard") SELECT generate_series(0, 63);
