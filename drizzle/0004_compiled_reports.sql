CREATE TABLE "compiled_reports" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "compiled_reports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"year" integer NOT NULL,
	"version" integer NOT NULL,
	"request_id" text NOT NULL,
	"as_of" date NOT NULL,
	"partners" integer NOT NULL,
	"chapters" integer NOT NULL,
	"missing" jsonb NOT NULL,
	"artefacts" jsonb NOT NULL,
	"storage_dir" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "compiled_reports_request_id_unique" UNIQUE("request_id"),
	CONSTRAINT "compiled_reports_year_version_unique" UNIQUE("year","version"),
	CONSTRAINT "compiled_reports_version_positive" CHECK ("compiled_reports"."version" > 0)
);
