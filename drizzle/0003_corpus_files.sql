CREATE TABLE "corpus" (
	"client" text NOT NULL,
	"sha256" text NOT NULL,
	"bytes" bigint NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "corpus_client_sha256_pk" PRIMARY KEY("client","sha256")
);
--> statement-breakpoint
CREATE INDEX "corpus_sha256_idx" ON "corpus" USING btree ("sha256");