CREATE TABLE "graph" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"doc" jsonb NOT NULL,
	"schema_version" integer NOT NULL,
	"edit_secret_hash" text NOT NULL,
	"forked_from" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "graph" ADD CONSTRAINT "graph_forked_from_graph_id_fk" FOREIGN KEY ("forked_from") REFERENCES "public"."graph"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "graph_forked_from_idx" ON "graph" USING btree ("forked_from");