CREATE TABLE "live_answer" (
	"class_id" text NOT NULL,
	"participant_id" text NOT NULL,
	"step" integer NOT NULL,
	"value" text NOT NULL,
	"answered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "live_answer_class_id_participant_id_step_pk" PRIMARY KEY("class_id","participant_id","step")
);
--> statement-breakpoint
CREATE TABLE "live_class" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"control_secret_hash" text NOT NULL,
	"title" text NOT NULL,
	"doc" text NOT NULL,
	"doc_revision" integer DEFAULT 1 NOT NULL,
	"step" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'live' NOT NULL,
	"ended_reason" text,
	"max_students" integer NOT NULL,
	"student_count" integer DEFAULT 0 NOT NULL,
	"seq" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_activity_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "live_participant" (
	"id" text PRIMARY KEY NOT NULL,
	"class_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"client_key" text,
	"display_name" text DEFAULT '' NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "live_reveal" (
	"class_id" text NOT NULL,
	"step" integer NOT NULL,
	"answer" text,
	"revealed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "live_reveal_class_id_step_pk" PRIMARY KEY("class_id","step")
);
--> statement-breakpoint
ALTER TABLE "live_answer" ADD CONSTRAINT "live_answer_class_id_live_class_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."live_class"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_answer" ADD CONSTRAINT "live_answer_participant_id_live_participant_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."live_participant"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_participant" ADD CONSTRAINT "live_participant_class_id_live_class_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."live_class"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_reveal" ADD CONSTRAINT "live_reveal_class_id_live_class_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."live_class"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "live_answer_step_idx" ON "live_answer" USING btree ("class_id","step");--> statement-breakpoint
CREATE UNIQUE INDEX "live_class_live_code_idx" ON "live_class" USING btree ("code") WHERE "live_class"."status" = 'live';--> statement-breakpoint
CREATE INDEX "live_class_status_activity_idx" ON "live_class" USING btree ("status","last_activity_at");--> statement-breakpoint
CREATE UNIQUE INDEX "live_participant_token_idx" ON "live_participant" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "live_participant_client_idx" ON "live_participant" USING btree ("class_id","client_key");