CREATE TABLE "shares" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"created_by" uuid NOT NULL,
	"name" text,
	"vehicle_ids" uuid[] NOT NULL,
	"history_from" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"revoked_at" timestamp (3) with time zone,
	"token_nonce" text NOT NULL,
	"token_digest" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "distance_unit" text DEFAULT 'km' NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "volume_unit" text DEFAULT 'L' NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "temperature_unit" text DEFAULT 'C' NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "week_start" text DEFAULT 'monday' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "distance_unit" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "volume_unit" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "temperature_unit" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "time_zone" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "week_start" text;--> statement-breakpoint
ALTER TABLE "shares" ADD CONSTRAINT "shares_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shares" ADD CONSTRAINT "shares_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "shares_token_digest_key" ON "shares" USING btree ("token_digest");--> statement-breakpoint
CREATE INDEX "shares_org_created_idx" ON "shares" USING btree ("org_id","created_at");--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_distance_unit_check" CHECK ("organizations"."distance_unit" in ('km', 'mi'));--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_volume_unit_check" CHECK ("organizations"."volume_unit" in ('L', 'gal'));--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_temperature_unit_check" CHECK ("organizations"."temperature_unit" in ('C', 'F'));--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_week_start_check" CHECK ("organizations"."week_start" in ('monday', 'sunday'));