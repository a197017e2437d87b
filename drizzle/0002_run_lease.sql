CREATE TABLE "run_lease" (
	"id" text PRIMARY KEY NOT NULL,
	"client" text NOT NULL,
	"instance" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "run_lease_client_idx" ON "run_lease" USING btree ("client");--> statement-breakpoint
CREATE INDEX "run_lease_instance_idx" ON "run_lease" USING btree ("instance");