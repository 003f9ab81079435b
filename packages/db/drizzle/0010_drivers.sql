CREATE TABLE "driver_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"vehicle_id" uuid NOT NULL,
	"driver_id" uuid,
	"identifier" text,
	"from" timestamp (3) with time zone NOT NULL,
	"to" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "drivers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"employee_number" text,
	"phone" text,
	"licence_number" text,
	"licence_expiry" date,
	"identifier" text,
	"note" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "driver_score_weights" jsonb;--> statement-breakpoint
ALTER TABLE "telemetry" ADD COLUMN "driver_id" text;--> statement-breakpoint
ALTER TABLE "driver_assignments" ADD CONSTRAINT "driver_assignments_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "driver_assignments" ADD CONSTRAINT "driver_assignments_vehicle_id_vehicles_id_fk" FOREIGN KEY ("vehicle_id") REFERENCES "public"."vehicles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "driver_assignments" ADD CONSTRAINT "driver_assignments_driver_id_drivers_id_fk" FOREIGN KEY ("driver_id") REFERENCES "public"."drivers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drivers" ADD CONSTRAINT "drivers_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "driver_assignments_vehicle_from_key" ON "driver_assignments" USING btree ("vehicle_id","from");--> statement-breakpoint
CREATE INDEX "driver_assignments_driver_from_idx" ON "driver_assignments" USING btree ("driver_id","from");--> statement-breakpoint
CREATE INDEX "driver_assignments_org_from_idx" ON "driver_assignments" USING btree ("org_id","from");--> statement-breakpoint
CREATE UNIQUE INDEX "drivers_org_identifier_key" ON "drivers" USING btree ("org_id","identifier") WHERE "drivers"."identifier" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "drivers_org_employee_number_key" ON "drivers" USING btree ("org_id","employee_number") WHERE "drivers"."employee_number" is not null;--> statement-breakpoint
CREATE INDEX "drivers_org_name_idx" ON "drivers" USING btree ("org_id","name");