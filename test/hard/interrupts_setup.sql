-- test/hard/interrupts_setup.sql -- the tables the interrupt workloads of
-- test/hard/interrupts.tsv read, made from one large map.  Shared by
-- test/hard/interrupts.sh (does each workload end with 57014?) and
-- bench/bench.py (how long after the interrupt does it end?).
--
-- psql variables: json, the map's JSON file; gz, the same file gzipped;
-- dir, a directory the server may write to (for the binary COPY stream).
-- All files are read and written by the server.

-- the JSON, uncompressed (reading it back costs little next to parsing it)
CREATE TABLE bigj (j text);
ALTER TABLE bigj ALTER j SET STORAGE EXTERNAL;
INSERT INTO bigj SELECT pg_read_file(:'json');
CREATE TABLE bigz AS SELECT pg_read_binary_file(:'gz') AS z;
CREATE TABLE bigm AS SELECT j::sourcemap AS m FROM bigj;
CREATE TABLE bigi AS SELECT i.* FROM bigm, sourcemap_info(bigm.m) i;

-- one million frames in the first 20,000 generated lines (a re-symbolication
-- batch), as two arrays; the first source that has content, for context and
-- reverse lookups
SELECT setseed(0.42);
CREATE TABLE frames AS
	SELECT array_agg((random() * least(generated_lines - 1, 20000))::int) AS lines,
		array_agg((random() * 300)::int) AS cols
	FROM bigi, generate_series(1, 1000000);
CREATE TABLE src AS
	SELECT s.source FROM bigm, sourcemap_sources(bigm.m) s WHERE s.has_content ORDER BY s.idx LIMIT 1;
-- a second stage for sourcemap_compose: a map whose "file" is the big map's first
-- source, so that composing [big map, it] traces every segment of the big map
CREATE TABLE stage2 AS
	SELECT format('{"version":3,"file":%s,"sources":["orig.js"],"names":[],"mappings":"AAAA"}',
		to_json(s.source))::sourcemap AS m
	FROM bigm, sourcemap_sources(bigm.m) s ORDER BY s.idx LIMIT 1;

-- generated JavaScript (5 MB) and a 9,000-frame V8 stack (the most is 10,000)
CREATE TABLE bigjs AS
	SELECT string_agg(format('function f%s(a, b) { return a.g%s(b) + "%s"; }', g, g % 97, md5(g::text)), E'\n') AS js
	FROM generate_series(1, 80000) g;
CREATE TABLE stack AS
	SELECT 'Error: boom' || string_agg(format(E'\n    at f%s (https://example.com/app.js:%s:%s)', g, g, g % 80), '') AS st
	FROM generate_series(1, 9000) g;

-- the binary COPY form of the stored map (sourcemap_send), and a program
-- that streams it forever: the 19-byte header, then the one row (the file
-- without header and 2-byte trailer) again and again, until the server
-- closes the pipe.  It ignores SIGINT: a timeout or cancel also signals
-- the backend's process group, and a program that died of it would end the
-- COPY with "unexpected EOF" before the backend saw its own interrupt.
SELECT :'dir' || '/one.bin' AS copy_file \gset
COPY (SELECT m FROM bigm) TO :'copy_file' WITH (FORMAT binary);
-- (a workload reads it with: SELECT p AS copy_program FROM copy_prog \gset)
CREATE TABLE copy_prog AS
	SELECT format('trap "" INT; f=%s; tail -c +20 "$f" | head -c -2 > "$f.row" && head -c 19 "$f" && while cat "$f.row"; do :; done',
		:'copy_file') AS p;
-- rows arrive through sourcemap_recv and are dropped before they are stored
CREATE TABLE sink (m sourcemap);
CREATE FUNCTION sink_drop() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$;
CREATE TRIGGER sink_drop BEFORE INSERT ON sink FOR EACH ROW EXECUTE FUNCTION sink_drop();

-- what a session that was interrupted must still answer, as before any
-- interrupt: a parse from the table, lookups on the stored map (single,
-- frame and a 1,000-frame batch), a reverse lookup and context lines
CREATE VIEW answer AS
	SELECT md5(concat_ws('|',
		(SELECT sourcemap_summary(j::sourcemap) FROM bigj),
		(SELECT sourcemap_lookup(m, 0, 5)::text FROM bigm),
		(SELECT sourcemap_lookup_frame(m, 0, 5, 'x')::text FROM bigm),
		(SELECT string_agg(r::text, ',') FROM bigm, frames f,
			sourcemap_lookup(bigm.m, f.lines[1:1000], f.cols[1:1000]) r),
		(SELECT string_agg(p::text, ',') FROM bigm, src, sourcemap_generated_positions(bigm.m, src.source, 3) p),
		(SELECT sourcemap_context(m, src.source, 3)::text FROM bigm, src)));
