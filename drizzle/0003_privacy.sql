CREATE TABLE "partner_data_keys" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "partner_data_keys_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"organisation_id" integer NOT NULL,
	"wrapped_key" text,
	"wrapping_key_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"destroyed_at" timestamp with time zone,
	CONSTRAINT "partner_data_keys_destroyed_has_no_key" CHECK (("partner_data_keys"."destroyed_at" is null) = ("partner_data_keys"."wrapped_key" is not null))
);
--> statement-breakpoint
ALTER TABLE "partner_data_keys" ADD CONSTRAINT "partner_data_keys_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "partner_data_keys_one_live_key" ON "partner_data_keys" USING btree ("organisation_id") WHERE "partner_data_keys"."destroyed_at" is null;--> statement-breakpoint
CREATE INDEX "partner_data_keys_organisation_idx" ON "partner_data_keys" USING btree ("organisation_id");