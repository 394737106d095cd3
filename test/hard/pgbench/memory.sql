-- this backend's memory: the cache must stay under sourcemap.cache_size
-- (fails the transaction otherwise); samples kept for the report
INSERT INTO mem_samples
SELECT pg_backend_pid(), clock_timestamp(), s.bytes, s.entries, s.evictions,
	(SELECT sum(total_bytes) FROM pg_backend_memory_contexts),
	CASE WHEN s.bytes > pg_size_bytes(current_setting('sourcemap.cache_size'))
		THEN format('cache of %s bytes over sourcemap.cache_size %s', s.bytes, current_setting('sourcemap.cache_size'))::int END
FROM sourcemap_cache_stats() s;
