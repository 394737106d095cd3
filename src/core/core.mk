#
# src/core/core.mk -- the core's layers and source files, the one list that
# every Makefile building the core includes (the top Makefile, test/unit,
# fuzz, bench).  Set CORE_DIR to the path of src/core first.
#
# CORE_LAYERS is the layer order, lowest first (README.md in this folder);
# check-layers.sh reads it from here.  Every .c file of the core is in one
# of these folders; the public header sm_core.h is the only one above them.
# CORE_LIBS is what the core links with: libdeflate writes and reads the
# stored parts, zlib reads gzip/zlib documents.
#
CORE_LAYERS	:= base json format functions io symbolicate
CORE_SRCS	:= $(foreach l,$(CORE_LAYERS),$(sort $(wildcard $(CORE_DIR)/$(l)/*.c)))
CORE_HDRS	:= $(CORE_DIR)/sm_core.h $(foreach l,$(CORE_LAYERS),$(sort $(wildcard $(CORE_DIR)/$(l)/*.h)))
CORE_CPPFLAGS	:= -I$(CORE_DIR)
CORE_LIBS	:= -ldeflate -lz
