CREATE TABLE "activity_dirty" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"spans" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "vehicle_activity" (
	"org_id" uuid NOT NULL,
	"vehicle_id" uuid NOT NULL,
	"bucket" timestamp (3) with time zone NOT NULL,
	"point_count" integer NOT NULL,
	"distance_km" double precision NOT NULL,
	"moving_distance_km" double precision NOT NULL,
	"driving_sec" double precision NOT NULL,
	"idle_sec" double precision NOT NULL,
	"max_speed" real,
	"fuel_used_pct" double precision,
	"refuelled_pct" double precision NOT NULL,
	"refuel_count" integer NOT NULL,
	"trip_count" integer NOT NULL,
	CONSTRAINT "vehicle_activity_vehicle_id_bucket_pk" PRIMARY KEY("vehicle_id","bucket")
);
--> statement-breakpoint
CREATE INDEX "activity_dirty_org_idx" ON "activity_dirty" USING btree ("org_id","id");--> statement-breakpoint
CREATE INDEX "vehicle_activity_org_bucket_idx" ON "vehicle_activity" USING btree ("org_id","bucket");--> statement-breakpoint
CREATE INDEX "telemetry_org_vehicle_time_idx" ON "telemetry" USING btree ("org_id","vehicle_id","time" DESC NULLS FIRST);--> statement-breakpoint
DROP INDEX "telemetry_vehicle_time_idx";--> statement-breakpoint
-- Points stored before this migration: one mark per vehicle and day of data, so the refresher
-- builds their buckets in short passes (a restart loses at most the pass in flight).
INSERT INTO "activity_dirty" ("org_id", "spans")
SELECT "org_id", jsonb_build_array(jsonb_build_array(
  "vehicle_id",
  greatest("from_ms", "day_ms"),
  least("to_ms", "day_ms" + 86399999)))
FROM (
  SELECT "org_id", "vehicle_id",
    (extract(epoch FROM min("time")) * 1000)::bigint AS "from_ms",
    (extract(epoch FROM max("time")) * 1000)::bigint AS "to_ms"
  FROM "telemetry" WHERE "vehicle_id" IS NOT NULL GROUP BY "org_id", "vehicle_id"
) AS "spans",
LATERAL generate_series(("from_ms" / 86400000) * 86400000, "to_ms", 86400000) AS "day_ms";
