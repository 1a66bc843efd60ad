CREATE TYPE "public"."contact_role" AS ENUM('main_contact', 'leadership_signatory');--> statement-breakpoint
CREATE TYPE "public"."language" AS ENUM('de', 'en');--> statement-breakpoint
CREATE TYPE "public"."organisation_status" AS ENUM('prospect', 'invited', 'accession_in_progress', 'active', 'left');--> statement-breakpoint
CREATE TYPE "public"."partner_kind" AS ENUM('district_government', 'district', 'association', 'municipality', 'job_centre', 'police', 'chamber', 'company', 'public_broadcaster', 'city_cooperation', 'regional_authority');--> statement-breakpoint
CREATE TYPE "public"."staff_role" AS ENUM('caseworker', 'head_of_unit', 'admin');--> statement-breakpoint
CREATE TYPE "public"."accession_status" AS ENUM('in_progress', 'completed', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."field_of_action" AS ENUM('STRATEGIE', 'PERSONALGEWINNUNG', 'FORTBILDUNG', 'SENSIBILISIERUNG', 'ZUGANG', 'OEFFENTLICHKEIT', 'KOOPERATION', 'FACHAUFGABE', 'SONSTIGES');--> statement-breakpoint
CREATE TYPE "public"."signature_party" AS ENUM('partner', 'state');--> statement-breakpoint
CREATE TYPE "public"."cycle_status" AS ENUM('draft', 'open', 'closed');--> statement-breakpoint
CREATE TYPE "public"."report_status" AS ENUM('pending', 'awaiting_submission', 'overdue', 'submitted', 'revision_requested', 'accepted', 'waived', 'closed');--> statement-breakpoint
CREATE TYPE "public"."review_status" AS ENUM('pending', 'accepted', 'revision_requested');--> statement-breakpoint
CREATE TYPE "public"."email_status" AS ENUM('pending', 'sending', 'sent', 'failed', 'unknown');--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "contacts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"organisation_id" integer NOT NULL,
	"role" "contact_role" NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"language" "language" DEFAULT 'de' NOT NULL,
	"email_failing_since" timestamp with time zone,
	"email_failure_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contacts_organisation_role_unique" UNIQUE("organisation_id","role")
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "organisations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"number" integer NOT NULL,
	"name" text NOT NULL,
	"kind" "partner_kind" NOT NULL,
	"report_heading" text,
	"member_cities" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" "organisation_status" DEFAULT 'prospect' NOT NULL,
	"accession_date" date,
	"caseworker_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisations_number_unique" UNIQUE("number"),
	CONSTRAINT "organisations_number_positive" CHECK ("organisations"."number" > 0),
	CONSTRAINT "organisations_member_has_accession_date" CHECK ("organisations"."status" not in ('active', 'left') or "organisations"."accession_date" is not null)
);
--> statement-breakpoint
CREATE TABLE "staff" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "staff_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"email" text NOT NULL,
	"role" "staff_role" NOT NULL,
	"language" "language" DEFAULT 'de' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "accessions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "accessions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"organisation_id" integer NOT NULL,
	"status" "accession_status" DEFAULT 'in_progress' NOT NULL,
	"workflow_id" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accessions_workflow_id_unique" UNIQUE("workflow_id")
);
--> statement-breakpoint
CREATE TABLE "agreements" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "agreements_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"accession_id" integer NOT NULL,
	"initiative_name" text NOT NULL,
	"partner_signatory_name" text,
	"partner_signatory_role" text NOT NULL,
	"state_signatory_name" text NOT NULL,
	"state_signatory_role" text NOT NULL,
	"ministry" text NOT NULL,
	"agreed_on" date,
	"signed_on" date,
	"occasion" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agreements_accession_id_unique" UNIQUE("accession_id")
);
--> statement-breakpoint
CREATE TABLE "declaration_measures" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "declaration_measures_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"declaration_id" integer NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"field_of_action" "field_of_action" NOT NULL,
	"group_label" text,
	"responsible_unit" text,
	"period_start" date,
	"period_end" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "declaration_measures_position_unique" UNIQUE("declaration_id","position"),
	CONSTRAINT "declaration_measures_period_ordered" CHECK ("declaration_measures"."period_start" is null or "declaration_measures"."period_end" is null or "declaration_measures"."period_start" <= "declaration_measures"."period_end")
);
--> statement-breakpoint
CREATE TABLE "declaration_milestones" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "declaration_milestones_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"measure_id" integer NOT NULL,
	"position" integer NOT NULL,
	"description" text NOT NULL,
	"due_date" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "declaration_milestones_position_unique" UNIQUE("measure_id","position")
);
--> statement-breakpoint
CREATE TABLE "declarations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "declarations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"accession_id" integer NOT NULL,
	"preamble" text,
	"target_year" integer,
	"submitted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "declarations_accession_id_unique" UNIQUE("accession_id")
);
--> statement-breakpoint
CREATE TABLE "signatures" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "signatures_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"agreement_id" integer NOT NULL,
	"party" "signature_party" NOT NULL,
	"signer_name" text NOT NULL,
	"signer_role" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "signatures_agreement_party_unique" UNIQUE("agreement_id","party")
);
--> statement-breakpoint
CREATE TABLE "annual_reports" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "annual_reports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"cycle_id" integer NOT NULL,
	"organisation_id" integer NOT NULL,
	"status" "report_status" DEFAULT 'pending' NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"escalation_level" integer DEFAULT 0 NOT NULL,
	"workflow_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "annual_reports_workflow_id_unique" UNIQUE("workflow_id"),
	CONSTRAINT "annual_reports_cycle_organisation_unique" UNIQUE("cycle_id","organisation_id"),
	CONSTRAINT "annual_reports_escalation_level_non_negative" CHECK ("annual_reports"."escalation_level" >= 0)
);
--> statement-breakpoint
CREATE TABLE "report_versions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "report_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"annual_report_id" integer NOT NULL,
	"version" integer NOT NULL,
	"reference" text NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"content" jsonb NOT NULL,
	"review" "review_status" DEFAULT 'pending' NOT NULL,
	"review_comment" text,
	"reviewed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_versions_reference_unique" UNIQUE("reference"),
	CONSTRAINT "report_versions_report_version_unique" UNIQUE("annual_report_id","version"),
	CONSTRAINT "report_versions_version_positive" CHECK ("report_versions"."version" > 0)
);
--> statement-breakpoint
CREATE TABLE "reporting_cycles" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reporting_cycles_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"year" integer NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"due_date" date NOT NULL,
	"policy" jsonb NOT NULL,
	"status" "cycle_status" DEFAULT 'draft' NOT NULL,
	"opened_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reporting_cycles_year_unique" UNIQUE("year"),
	CONSTRAINT "reporting_cycles_period_ordered" CHECK ("reporting_cycles"."period_start" <= "reporting_cycles"."period_end")
);
--> statement-breakpoint
CREATE TABLE "reporting_overrides" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reporting_overrides_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"cycle_id" integer NOT NULL,
	"organisation_id" integer NOT NULL,
	"due_date" date NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reporting_overrides_cycle_organisation_unique" UNIQUE("cycle_id","organisation_id")
);
--> statement-breakpoint
CREATE TABLE "email_ledger" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "email_ledger_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"idempotency_key" text NOT NULL,
	"message_id" text NOT NULL,
	"workflow_id" text,
	"organisation_id" integer,
	"contact_id" integer,
	"staff_id" integer,
	"recipient_role" text,
	"recipient_email" text NOT NULL,
	"language" text,
	"template" text NOT NULL,
	"subject" text NOT NULL,
	"status" "email_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"smtp_response" text,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claimed_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_ledger_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "email_ledger_message_id_unique" UNIQUE("message_id"),
	CONSTRAINT "email_ledger_attempts_non_negative" CHECK ("email_ledger"."attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"action" text NOT NULL,
	"details" jsonb,
	"event_key" text,
	CONSTRAINT "audit_log_event_key_unique" UNIQUE("event_key")
);
--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_caseworker_id_staff_id_fk" FOREIGN KEY ("caseworker_id") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accessions" ADD CONSTRAINT "accessions_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_accession_id_accessions_id_fk" FOREIGN KEY ("accession_id") REFERENCES "public"."accessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "declaration_measures" ADD CONSTRAINT "declaration_measures_declaration_id_declarations_id_fk" FOREIGN KEY ("declaration_id") REFERENCES "public"."declarations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "declaration_milestones" ADD CONSTRAINT "declaration_milestones_measure_id_declaration_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."declaration_measures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "declarations" ADD CONSTRAINT "declarations_accession_id_accessions_id_fk" FOREIGN KEY ("accession_id") REFERENCES "public"."accessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signatures" ADD CONSTRAINT "signatures_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "annual_reports" ADD CONSTRAINT "annual_reports_cycle_id_reporting_cycles_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."reporting_cycles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "annual_reports" ADD CONSTRAINT "annual_reports_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_versions" ADD CONSTRAINT "report_versions_annual_report_id_annual_reports_id_fk" FOREIGN KEY ("annual_report_id") REFERENCES "public"."annual_reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reporting_overrides" ADD CONSTRAINT "reporting_overrides_cycle_id_reporting_cycles_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."reporting_cycles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reporting_overrides" ADD CONSTRAINT "reporting_overrides_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_ledger" ADD CONSTRAINT "email_ledger_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_ledger" ADD CONSTRAINT "email_ledger_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_ledger" ADD CONSTRAINT "email_ledger_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accessions_one_in_progress" ON "accessions" USING btree ("organisation_id") WHERE "accessions"."status" = 'in_progress';--> statement-breakpoint
CREATE INDEX "email_ledger_workflow_id_idx" ON "email_ledger" USING btree ("workflow_id");--> statement-breakpoint
CREATE INDEX "email_ledger_organisation_id_idx" ON "email_ledger" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity_type","entity_id","occurred_at");