CREATE TABLE "activity_dirty" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"vehicle_id" uuid NOT NULL,
	"from_time" timestamp (3) with time zone NOT NULL,
	"to_time" timestamp (3) with time zone NOT NULL
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
-- Points stored before this migration: queue them all, the refresher builds their buckets a day at a time.
INSERT INTO "activity_dirty" ("org_id", "vehicle_id", "from_time", "to_time")
SELECT "org_id", "vehicle_id", min("time"), max("time") FROM "telemetry"
WHERE "vehicle_id" IS NOT NULL GROUP BY "org_id", "vehicle_id";
