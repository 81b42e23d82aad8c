-- Limits of the public URL of published Services (`flotilla.dev/public: "true"`), apart from the API's
-- rate: requests per second per cluster and the largest request body. The column defaults are the
-- playground's; `large` and `local` get more. Bodies stop at 8 MiB whatever the plan (the proxy holds
-- a request body whole so it can retry it on another endpoint).
ALTER TABLE `plans` ADD `public_requests_per_second` integer DEFAULT 20 NOT NULL;--> statement-breakpoint
ALTER TABLE `plans` ADD `public_body_bytes` integer DEFAULT 1048576 NOT NULL;--> statement-breakpoint
UPDATE `plans` SET `public_requests_per_second` = 20, `public_body_bytes` = 1048576 WHERE `id` = 'playground';--> statement-breakpoint
UPDATE `plans` SET `public_requests_per_second` = 100, `public_body_bytes` = 8388608 WHERE `id` = 'large';--> statement-breakpoint
UPDATE `plans` SET `public_requests_per_second` = 100000, `public_body_bytes` = 8388608 WHERE `id` = 'local';
