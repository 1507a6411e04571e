// SPDX-License-Identifier: GPL-2.0
/* pktpath_e1000: the trace events' definitions (trace.h). */
#include "pktpath_e1000.h"

#define CREATE_TRACE_POINTS
#include "trace.h"
