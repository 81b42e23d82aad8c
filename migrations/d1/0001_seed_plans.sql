-- Plans and their limits. `playground` is what sign-ups get; `large` is the bigger one; `local`
-- is for `npm start` on one's own machine (chosen there through the DEFAULT_PLAN variable) and for
-- benchmarks: limits exist to share hosted capacity, not to slow down a laptop.
INSERT INTO `plans` (`id`, `title`, `max_clusters`, `nodes`, `pods`, `objects`, `stored_bytes`, `requests_per_second`, `idle_ttl_seconds`) VALUES
  ('playground', 'Playground', 3, 10, 200, 5000, 52428800, 50, 86400),
  ('large', 'Large', 10, 100, 2000, 50000, 524288000, 200, 604800),
  ('local', 'Local development', 1000, 10000, 1000000, 1000000, 8589934592, 100000, 0);
