CREATE TABLE "user_vehicle_groups" (
	"user_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	CONSTRAINT "user_vehicle_groups_user_id_group_id_pk" PRIMARY KEY("user_id","group_id")
);
--> statement-breakpoint
CREATE TABLE "vehicle_group_members" (
	"group_id" uuid NOT NULL,
	"vehicle_id" uuid NOT NULL,
	CONSTRAINT "vehicle_group_members_group_id_vehicle_id_pk" PRIMARY KEY("group_id","vehicle_id")
);
--> statement-breakpoint
CREATE TABLE "vehicle_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "limited_to_groups" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "user_vehicle_groups" ADD CONSTRAINT "user_vehicle_groups_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_vehicle_groups" ADD CONSTRAINT "user_vehicle_groups_group_id_vehicle_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."vehicle_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vehicle_group_members" ADD CONSTRAINT "vehicle_group_members_group_id_vehicle_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."vehicle_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vehicle_group_members" ADD CONSTRAINT "vehicle_group_members_vehicle_id_vehicles_id_fk" FOREIGN KEY ("vehicle_id") REFERENCES "public"."vehicles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vehicle_groups" ADD CONSTRAINT "vehicle_groups_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "user_vehicle_groups_group_idx" ON "user_vehicle_groups" USING btree ("group_id");--> statement-breakpoint
CREATE INDEX "vehicle_group_members_vehicle_idx" ON "vehicle_group_members" USING btree ("vehicle_id");--> statement-breakpoint
CREATE UNIQUE INDEX "vehicle_groups_org_name_key" ON "vehicle_groups" USING btree ("org_id","name");