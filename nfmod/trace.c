// SPDX-License-Identifier: GPL-2.0
/* pktpath_nf: the trace events' definitions (trace.h). */
#include "pktpath_nf.h"

#define CREATE_TRACE_POINTS
#include "trace.h"
