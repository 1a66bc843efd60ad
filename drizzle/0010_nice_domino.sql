CREATE TABLE "chapter_fragments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "chapter_fragments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"report_version_id" integer NOT NULL,
	"renderer" text NOT NULL,
	"source_xmin" text NOT NULL,
	"partner_number" integer NOT NULL,
	"organisation" text NOT NULL,
	"report_heading" text,
	"body" "bytea" NOT NULL,
	"part_lengths" integer[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chapter_fragments_version_renderer_unique" UNIQUE("report_version_id","renderer")
);
--> statement-breakpoint
ALTER TABLE "chapter_fragments" ADD CONSTRAINT "chapter_fragments_report_version_id_report_versions_id_fk" FOREIGN KEY ("report_version_id") REFERENCES "public"."report_versions"("id") ON DELETE cascade ON UPDATE no action;