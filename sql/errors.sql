-- errors: one statement per rejection rule, each showing SQLSTATE and the
-- exact message (with its byte offset).  reject() runs the type's input
-- function on a literal and returns "SQLSTATE: message" instead of failing.

CREATE FUNCTION reject(doc text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('SELECT %L::sourcemap', doc);
	RETURN 'accepted';
EXCEPTION WHEN others THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;

-- Errors raised directly look like this.
SELECT '{"version":2,"sources":[],"mappings":""}'::sourcemap;
SELECT '{"version":3,"sources":[],"mappings":"AA"}'::text::sourcemap;

-- JSON syntax (RFC 8259, strict)
SELECT reject('');
SELECT reject('{"version":3,');
SELECT reject('{"version":3 "sources":[],"mappings":""}');
SELECT reject('{"version":3,"sources":[],"mappings":""} x');
SELECT reject('{"version":3,"sources":[],"mappings":"",}');
SELECT reject('{''version'':3}');
SELECT reject('{"version":03,"sources":[],"mappings":""}');
SELECT reject('{"version":3,"sources":["a\x"],"mappings":""}');
SELECT reject('{"version":3,"sources":["\ud800"],"mappings":""}');
SELECT reject('{"version":3,"sources":["' || chr(9) || '"],"mappings":""}');
SELECT reject('{"version":3,"sources":[],"mappings":"","x":' || repeat('[', 65) || repeat(']', 65) || '}');

-- top level
SELECT reject('[]');
SELECT reject('3');

-- version
SELECT reject('{"sources":[],"mappings":""}');
SELECT reject('{"version":2,"sources":[],"mappings":""}');
SELECT reject('{"version":4,"sources":[],"mappings":""}');
SELECT reject('{"version":"3","sources":[],"mappings":""}');
SELECT reject('{"version":3.5,"sources":[],"mappings":""}');

-- file and sourceRoot must be strings
SELECT reject('{"version":3,"file":[],"sources":[],"mappings":""}');
SELECT reject('{"version":3,"sourceRoot":-1,"sources":[],"mappings":""}');

-- sources: required, an array of strings or nulls
SELECT reject('{"version":3,"mappings":""}');
SELECT reject('{"version":3,"sources":"a.js","mappings":""}');
SELECT reject('{"version":3,"sources":["a.js",3],"mappings":""}');

-- sourcesContent: an array of strings or nulls
SELECT reject('{"version":3,"sources":["a.js"],"sourcesContent":"x","mappings":""}');
SELECT reject('{"version":3,"sources":["a.js"],"sourcesContent":[true],"mappings":""}');

-- names: an array of strings
SELECT reject('{"version":3,"sources":[],"names":{"a":1},"mappings":""}');
SELECT reject('{"version":3,"sources":[],"names":[null],"mappings":""}');

-- mappings: required, a string
SELECT reject('{"version":3,"sources":[]}');
SELECT reject('{"version":3,"sources":[],"mappings":5}');

-- segments with 0, 2, 3 or 6 fields
SELECT reject('{"version":3,"sources":["a.js"],"mappings":"AAAA,,AAAA"}');
SELECT reject('{"version":3,"sources":["a.js"],"mappings":"AAAA;AA"}');
SELECT reject('{"version":3,"sources":["a.js"],"mappings":"AAA"}');
SELECT reject('{"version":3,"sources":["a.js"],"names":["n"],"mappings":"AAAAAA"}');

-- VLQ: bad base64 digit, bad separator, missing continuation, over 32 bits
SELECT reject('{"version":3,"sources":["a.js"],"mappings":"AA!A"}');
SELECT reject('{"version":3,"sources":["a.js"],"mappings":"AAAA.AAAA"}');
SELECT reject('{"version":3,"sources":["a.js"],"mappings":"A="}');
SELECT reject('{"version":3,"sources":["a.js"],"mappings":"g"}');
SELECT reject('{"version":3,"sources":["a.js"],"mappings":"ggggggE"}');
SELECT reject('{"version":3,"sources":["a.js"],"mappings":"AAggggggEA"}');

-- negative absolute values (the relative ones may be negative)
SELECT reject('{"version":3,"sources":["a.js"],"mappings":"D"}');
SELECT reject('{"version":3,"sources":["a.js"],"mappings":"C,F"}');
SELECT reject('{"version":3,"sources":["a.js"],"mappings":"ADAA"}');
SELECT reject('{"version":3,"sources":["a.js"],"mappings":"AADA"}');
SELECT reject('{"version":3,"sources":["a.js"],"mappings":"AAAD"}');
SELECT reject('{"version":3,"sources":["a.js"],"names":["n"],"mappings":"AAAAD"}');

-- source and name indexes out of range
SELECT reject('{"version":3,"sources":["a.js"],"mappings":"ACAA"}');
SELECT reject('{"version":3,"sources":["a.js"],"names":["n"],"mappings":"AAAAC"}');
SELECT reject('{"version":3,"sources":["a.js"],"mappings":"AAAAA"}');
-- the error names the generated line and segment
SELECT reject('{"version":3,"sources":["a.js"],"mappings":"AAAA;AAAA,CAAC,CCAA"}');

-- ignoreList (and x_google_ignoreList): an array of source indexes
SELECT reject('{"version":3,"sources":["a.js"],"mappings":"","ignoreList":0}');
SELECT reject('{"version":3,"sources":["a.js"],"mappings":"","ignoreList":["0"]}');
SELECT reject('{"version":3,"sources":["a.js"],"mappings":"","ignoreList":[0.5]}');
SELECT reject('{"version":3,"sources":["a.js"],"mappings":"","ignoreList":[-1]}');
SELECT reject('{"version":3,"sources":["a.js"],"mappings":"","ignoreList":[1]}');
SELECT reject('{"version":3,"sources":["a.js"],"mappings":"","x_google_ignoreList":[1]}');

-- debugId: a UUID string
SELECT reject('{"version":3,"sources":[],"mappings":"","debugId":"not-a-uuid"}');
SELECT reject('{"version":3,"sources":[],"mappings":"","debugId":42}');
SELECT reject('{"version":3,"sources":[],"mappings":"","debug_id":"85314830-023f-4cf1-b267-535f4e37bb1"}');

-- index maps
SELECT reject('{"version":3,"sections":"x"}');
SELECT reject('{"version":3,"sections":[{"map":{"version":3,"sources":[],"mappings":""}}]}');
SELECT reject('{"version":3,"sections":[{"offset":{"line":0,"column":0}}]}');
SELECT reject('{"version":3,"sections":[{"offset":"x","map":{"version":3,"sources":[],"mappings":""}}]}');
SELECT reject('{"version":3,"sections":[{"offset":{"column":0},"map":{"version":3,"sources":[],"mappings":""}}]}');
SELECT reject('{"version":3,"sections":[{"offset":{"line":0},"map":{"version":3,"sources":[],"mappings":""}}]}');
SELECT reject('{"version":3,"sections":[{"offset":{"line":true,"column":0},"map":{"version":3,"sources":[],"mappings":""}}]}');
SELECT reject('{"version":3,"sections":[{"offset":{"line":-1,"column":0},"map":{"version":3,"sources":[],"mappings":""}}]}');
SELECT reject('{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":"x"}]}');
SELECT reject('{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":{"version":"3","mappings":7}}]}');
SELECT reject('{"version":3,"mappings":"AAAA","sections":[{"offset":{"line":0,"column":0},"map":{"version":3,"sources":[],"mappings":""}}]}');
-- sections out of order; two at the same offset; section 0 mapping past section 1's offset
SELECT reject('{"version":3,"sections":[{"offset":{"line":1,"column":0},"map":{"version":3,"sources":[],"mappings":""}},{"offset":{"line":0,"column":0},"map":{"version":3,"sources":[],"mappings":""}}]}');
SELECT reject('{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":{"version":3,"sources":["a.js"],"mappings":"AAAA"}},{"offset":{"line":0,"column":0},"map":{"version":3,"sources":["b.js"],"mappings":"AAAA"}}]}');
SELECT reject('{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":{"version":3,"sources":["a.js"],"mappings":"AAAA,UAAA"}},{"offset":{"line":0,"column":5},"map":{"version":3,"sources":["b.js"],"mappings":"AAAA"}}]}');
SELECT reject('{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":{"version":3,"sources":["a.js"],"mappings":";AAAA"}},{"offset":{"line":0,"column":5},"map":{"version":3,"sources":["b.js"],"mappings":"AAAA"}}]}');

-- the same documents are rejected by the casts and by sourcemap_is_valid
SELECT '{"version":3,"sources":["a.js"],"mappings":"ACAA"}'::json::sourcemap;
SELECT sourcemap_is_valid('{"version":3,"sources":["a.js"],"mappings":"ACAA"}');
SELECT sourcemap_is_valid('{"version":3,"sources":["a.js"],"mappings":"AAAA"}');
SELECT sourcemap_is_valid('');
SELECT sourcemap_is_valid(NULL);

DROP FUNCTION reject(text);
