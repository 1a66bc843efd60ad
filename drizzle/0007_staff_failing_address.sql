ALTER TABLE "staff" ADD COLUMN "email_failing_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "email_failure_reason" text;