-- test/citus/rebalance.sql: after a third worker is added, the rebalancer
-- moves shards to it (blocking writes while it copies: the logical-replication
-- default needs a minute here for catch-ups); every answer stays the same.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SELECT rebalance_table_shards(shard_transfer_mode => 'block_writes');
SELECT t.check('rebalance: shards on all three workers after adding one',
               count(DISTINCT nodeport) = 3 AND bool_and(n >= 2),
               string_agg(format(':%s %s shards', nodeport, n), ', ' ORDER BY nodeport))
  FROM (SELECT nodeport, count(*) AS n FROM citus_shards WHERE table_name = 'public.artifacts'::regclass
         GROUP BY nodeport) s;
