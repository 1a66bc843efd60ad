ALTER TYPE "public"."email_status" ADD VALUE 'held';--> statement-breakpoint
ALTER TABLE "email_ledger" ADD COLUMN "held_message" jsonb;