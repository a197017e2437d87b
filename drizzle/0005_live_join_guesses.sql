CREATE TABLE "live_join_guess" (
	"client" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone DEFAULT now() NOT NULL,
	"guesses" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "live_join_guess_window_idx" ON "live_join_guess" USING btree ("window_start");