ALTER TYPE "public"."email_status" ADD VALUE 'held';--> statement-breakpoint
ALTER TABLE "reporting_cycles" ADD COLUMN "settings" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "email_ledger" ADD COLUMN "held_message" jsonb;--> statement-breakpoint
ALTER TABLE "compiled_reports" ADD COLUMN "indicators" jsonb;