ALTER TABLE "api_tokens" ADD COLUMN "previous_prefix" text;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "previous_token_hash" text;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "previous_expires_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "rotated_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_previous_prefix_key" ON "api_tokens" USING btree ("previous_prefix");