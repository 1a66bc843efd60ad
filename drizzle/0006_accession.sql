CREATE TYPE "public"."declaration_review" AS ENUM('accepted', 'changes_requested');--> statement-breakpoint
CREATE TYPE "public"."milestone_status" AS ENUM('open', 'reached', 'delayed');--> statement-breakpoint
ALTER TYPE "public"."accession_status" ADD VALUE 'rejected';--> statement-breakpoint
CREATE TABLE "declaration_versions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "declaration_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"accession_id" integer NOT NULL,
	"version" integer NOT NULL,
	"content" jsonb NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"submitted_by" text NOT NULL,
	"review" "declaration_review",
	"review_comment" text,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "declaration_versions_accession_version_unique" UNIQUE("accession_id","version")
);
--> statement-breakpoint
ALTER TABLE "accessions" ADD COLUMN "phase" text DEFAULT 'invited' NOT NULL;--> statement-breakpoint
ALTER TABLE "accessions" ADD COLUMN "end_reason" text;--> statement-breakpoint
ALTER TABLE "accessions" ADD COLUMN "draft" jsonb;--> statement-breakpoint
ALTER TABLE "accessions" ADD COLUMN "draft_saved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "agreements" ADD COLUMN "html" text;--> statement-breakpoint
ALTER TABLE "agreements" ADD COLUMN "pdf" "bytea";--> statement-breakpoint
ALTER TABLE "declaration_measures" ADD COLUMN "code" text;--> statement-breakpoint
ALTER TABLE "declaration_milestones" ADD COLUMN "due_text" text;--> statement-breakpoint
ALTER TABLE "declaration_milestones" ADD COLUMN "status" "milestone_status" DEFAULT 'open' NOT NULL;--> statement-breakpoint
ALTER TABLE "declaration_milestones" ADD COLUMN "revised_due_date" date;--> statement-breakpoint
ALTER TABLE "declaration_milestones" ADD COLUMN "reached_on" date;--> statement-breakpoint
ALTER TABLE "declaration_milestones" ADD COLUMN "answered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "signatures" ADD COLUMN "signed_on" date;--> statement-breakpoint
ALTER TABLE "declaration_versions" ADD CONSTRAINT "declaration_versions_accession_id_accessions_id_fk" FOREIGN KEY ("accession_id") REFERENCES "public"."accessions"("id") ON DELETE cascade ON UPDATE no action;