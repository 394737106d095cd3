-- soft_errors: on PostgreSQL 16 and later the input function reports
-- invalid documents as soft errors, so pg_input_is_valid and
-- pg_input_error_info work.  Older servers skip this file
-- (expected/soft_errors_1.out).
SELECT current_setting('server_version_num')::int >= 160000 AS soft \gset
\if :soft
\else
\echo 'soft errors need PostgreSQL 16 or later'
\quit
\endif

SELECT pg_input_is_valid('{"version":3,"sources":[],"mappings":""}', 'sourcemap');
SELECT pg_input_is_valid('{"version":2,"sources":[],"mappings":""}', 'sourcemap');
SELECT pg_input_is_valid('', 'sourcemap');
SELECT * FROM pg_input_error_info('{"version":2,"sources":[],"mappings":""}', 'sourcemap');
SELECT * FROM pg_input_error_info('{"version":3,"sources":["a.js"],"mappings":"AAAA;AA"}', 'sourcemap');
SELECT * FROM pg_input_error_info('{"version":3,"sources":["a.js"],"mappings":"ACAA"}', 'sourcemap');
SELECT * FROM pg_input_error_info('{"version":3,', 'sourcemap');
SELECT * FROM pg_input_error_info('{"version":3,"sources":[],"mappings":""}', 'sourcemap');
