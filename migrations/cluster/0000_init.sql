CREATE TABLE `changes` (
	`revision` integer PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`key` text NOT NULL,
	`body` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `credentials` (
	`id` text PRIMARY KEY NOT NULL,
	`hash` text NOT NULL,
	`role` text NOT NULL,
	`subject` text,
	`expires_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `credentials_hash_unique` ON `credentials` (`hash`);--> statement-breakpoint
CREATE TABLE `leases` (
	`node` text PRIMARY KEY NOT NULL,
	`renew_time` integer NOT NULL,
	`duration_seconds` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `objects` (
	`key` text PRIMARY KEY NOT NULL,
	`resource` text NOT NULL,
	`revision` integer NOT NULL,
	`body` text NOT NULL
);
