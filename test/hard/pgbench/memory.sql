-- this backend's memory: the cache must stay under sourcemap.cache_size
-- (fails the transaction otherwise); its memory contexts and private memory
-- (RssAnon) are kept for the report, one sample per run of this script
INSERT INTO mem_samples (pid, cache_bytes, entries, evictions, ctx_bytes, rss_kb, chk)
SELECT pg_backend_pid(), s.bytes, s.entries, s.evictions,
	(SELECT sum(total_bytes) FROM pg_backend_memory_contexts),
	(regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'RssAnon:\s+(\d+)'))[1]::bigint,
	CASE WHEN s.bytes > pg_size_bytes(current_setting('sourcemap.cache_size'))
		THEN format('cache of %s bytes over sourcemap.cache_size %s', s.bytes, current_setting('sourcemap.cache_size'))::int END
FROM sourcemap_cache_stats() s;
