/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PKTPATH_JSON_H
#define _PKTPATH_JSON_H

#include <stdio.h>

/* s as a JSON string: valid UTF-8 as it is, other bytes as U+FFFD. */
void json_str(FILE *f, const char *s);

#endif /* _PKTPATH_JSON_H */
