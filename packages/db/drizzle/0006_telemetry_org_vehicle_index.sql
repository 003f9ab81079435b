CREATE INDEX "telemetry_org_vehicle_time_idx" ON "telemetry" USING btree ("org_id","vehicle_id","time" DESC NULLS FIRST);--> statement-breakpoint
DROP INDEX "telemetry_vehicle_time_idx";
