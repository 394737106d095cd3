# sourcemap -- Source Map v3 (ECMA-426) type for PostgreSQL, built with PGXS.
#   make && make install && make installcheck   (installcheck needs a running server)
#   make unittest                                 (core C tests, no server)

EXTENSION   = sourcemap
MODULE_big  = sourcemap
PGFILEDESC  = "sourcemap - Source Map v3 type with position lookups"

CORE_DIR    = src/core
include $(CORE_DIR)/core.mk
GLUE_SRCS   = $(sort $(wildcard src/pg/*.c))
OBJS        = $(CORE_SRCS:.c=.o) $(GLUE_SRCS:.c=.o)

# sourcemap.sql is the current version's full script, the one to read; it
# is installed as sourcemap--$(EXTVERSION).sql.  sourcemap--0.1.0.sql and the
# step scripts are released as they are, for upgrades (test/upgrade/run.sh
# checks that an upgrade and a fresh install give the same objects).
EXTVERSION  = 0.3.0
DATA        = sourcemap--0.1.0.sql $(wildcard sourcemap--*--*.sql)
DATA_built  = sourcemap--$(EXTVERSION).sql
REGRESS     = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --load-extension=$(EXTENSION) --encoding=UTF8 --no-locale

PG_CPPFLAGS = $(CORE_CPPFLAGS) -Isrc/pg
PG_CFLAGS   = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-sign-compare \
              -Wno-missing-field-initializers
SHLIB_LINK += $(CORE_LIBS)

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Every glue and core object depends on the headers it may include.
$(OBJS): $(CORE_HDRS) $(wildcard src/pg/*.h)

sourcemap--$(EXTVERSION).sql: sourcemap.sql
	cp $< $@

.PHONY: unittest
unittest:
	$(MAKE) -C test/unit
