ALTER TYPE "public"."report_status" RENAME TO "report_phase";--> statement-breakpoint
ALTER TABLE "annual_reports" RENAME COLUMN "status" TO "phase";