ALTER TABLE "telemetry" ADD COLUMN "accuracy" real;--> statement-breakpoint
ALTER TABLE "telemetry" ADD COLUMN "valid" boolean;