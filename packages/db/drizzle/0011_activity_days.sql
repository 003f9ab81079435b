CREATE TABLE "vehicle_activity_days" (
	"org_id" uuid NOT NULL,
	"vehicle_id" uuid NOT NULL,
	"day_start" timestamp (3) with time zone NOT NULL,
	"day_end" timestamp (3) with time zone NOT NULL,
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
	CONSTRAINT "vehicle_activity_days_vehicle_id_day_start_day_end_pk" PRIMARY KEY("vehicle_id","day_start","day_end")
);
