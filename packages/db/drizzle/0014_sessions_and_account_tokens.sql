DROP INDEX "account_tokens_user_idx";--> statement-breakpoint
-- Keep only the newest token of each user and purpose before the unique index (racing requests could leave two).
DELETE FROM "account_tokens" AS "a" USING "account_tokens" AS "b" WHERE "a"."user_id" = "b"."user_id" AND "a"."purpose" = "b"."purpose" AND ("a"."created_at", "a"."id") < ("b"."created_at", "b"."id");--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "sessions_valid_after" timestamp (3) with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "account_tokens_user_purpose_key" ON "account_tokens" USING btree ("user_id","purpose");